"""Reads what refinery-models wrote, with the reference Python libraries, and prints JSON for the Java test:
the safetensors tensors (name -> shape, sum, first values) and the ids the `tokenizers` package gives a text.
Usage: check_artifacts.py MODEL_SAFETENSORS TOKENIZER_JSON TEXT_FILE"""
import json, sys
from safetensors.numpy import load_file
from tokenizers import Tokenizer

tensors = load_file(sys.argv[1])
tok = Tokenizer.from_file(sys.argv[2])
text = open(sys.argv[3], encoding="utf-8").read()
print(json.dumps({
    "tensors": {k: {"shape": list(v.shape), "dtype": str(v.dtype), "sum": float(v.astype("float64").sum()),
                    "head": [float(x) for x in v.reshape(-1)[:8]]} for k, v in tensors.items()},
    "ids": tok.encode(text, add_special_tokens=False).ids,
}))
