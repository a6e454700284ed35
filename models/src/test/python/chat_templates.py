"""Writes tokenizer folders carrying real-shaped chat templates (Qwen2.5-Instruct's and Llama 3.2-Instruct's, the
Jinja programs those models ship, written out here because nothing is downloaded), renders chats with
transformers' apply_chat_template, and prints the cases as JSON for ChatTemplateParityTest.

usage: chat_templates.py OUT_DIR  ->  stdout: {"cases": [{"folder", "messages", "tools", "add_generation_prompt",
"expected" | "error"}]}
"""
import json
import sys
from pathlib import Path

from tokenizers import Tokenizer, models, pre_tokenizers
from transformers import AutoTokenizer, PreTrainedTokenizerFast

QWEN25 = """{%- if tools %}
    {{- '<|im_start|>system\\n' }}
    {%- if messages[0]['role'] == 'system' %}
        {{- messages[0]['content'] }}
    {%- else %}
        {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}
    {%- endif %}
    {{- "\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}
    {%- for tool in tools %}
        {{- "\\n" }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}
{%- else %}
    {%- if messages[0]['role'] == 'system' %}
        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
    {%- else %}
        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}
    {%- endif %}
{%- endif %}
{%- for message in messages %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}
        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
    {%- elif message.role == "assistant" %}
        {{- '<|im_start|>' + message.role }}
        {%- if message.content %}
            {{- '\\n' + message.content }}
        {%- endif %}
        {%- for tool_call in message.tool_calls %}
            {%- if tool_call.function is defined %}
                {%- set tool_call = tool_call.function %}
            {%- endif %}
            {{- '\\n<tool_call>\\n{"name": "' }}
            {{- tool_call.name }}
            {{- '", "arguments": ' }}
            {{- tool_call.arguments | tojson }}
            {{- '}\\n</tool_call>' }}
        {%- endfor %}
        {{- '<|im_end|>\\n' }}
    {%- elif message.role == "tool" %}
        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != "tool") %}
            {{- '<|im_start|>user' }}
        {%- endif %}
        {{- '\\n<tool_response>\\n' }}
        {{- message.content }}
        {{- '\\n</tool_response>' }}
        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
            {{- '<|im_end|>\\n' }}
        {%- endif %}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
{%- endif %}
"""

LLAMA32 = """{{- bos_token }}
{%- if custom_tools is defined %}
    {%- set tools = custom_tools %}
{%- endif %}
{%- if not tools_in_user_message is defined %}
    {%- set tools_in_user_message = true %}
{%- endif %}
{%- if not date_string is defined %}
    {%- if strftime_now is defined %}
        {%- set date_string = strftime_now("%d %b %Y") %}
    {%- else %}
        {%- set date_string = "26 Jul 2024" %}
    {%- endif %}
{%- endif %}
{%- if not tools is defined %}
    {%- set tools = none %}
{%- endif %}

{#- This block extracts the system message, so we can slot it into the right place. #}
{%- if messages[0]['role'] == 'system' %}
    {%- set system_message = messages[0]['content']|trim %}
    {%- set messages = messages[1:] %}
{%- else %}
    {%- set system_message = "" %}
{%- endif %}

{#- System message #}
{{- "<|start_header_id|>system<|end_header_id|>\\n\\n" }}
{%- if tools is not none %}
    {{- "Environment: ipython\\n" }}
{%- endif %}
{{- "Cutting Knowledge Date: December 2023\\n" }}
{{- "Today Date: " + date_string + "\\n\\n" }}
{%- if tools is not none and not tools_in_user_message %}
    {{- "You have access to the following functions. To call a function, please respond with JSON for a function call." }}
    {{- 'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.' }}
    {{- "Do not use variables.\\n\\n" }}
    {%- for t in tools %}
        {{- t | tojson(indent=4) }}
        {{- "\\n\\n" }}
    {%- endfor %}
{%- endif %}
{{- system_message }}
{{- "<|eot_id|>" }}

{#- Custom tools are passed in a user message with some extra guidance #}
{%- if tools_in_user_message and not tools is none %}
    {#- Extract the first user message so we can plug it in here #}
    {%- if messages | length != 0 %}
        {%- set first_user_message = messages[0]['content']|trim %}
        {%- set messages = messages[1:] %}
    {%- else %}
        {{- raise_exception("Cannot put tools in the first user message when there's no first user message!") }}
{%- endif %}
    {{- '<|start_header_id|>user<|end_header_id|>\\n\\n' -}}
    {{- "Given the following functions, please respond with a JSON for a function call " }}
    {{- "with its proper arguments that best answers the given prompt.\\n\\n" }}
    {{- 'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.' }}
    {{- "Do not use variables.\\n\\n" }}
    {%- for t in tools %}
        {{- t | tojson(indent=4) }}
        {{- "\\n\\n" }}
    {%- endfor %}
    {{- first_user_message + "<|eot_id|>"}}
{%- endif %}

{%- for message in messages %}
    {%- if not (message.role == 'ipython' or message.role == 'tool' or 'tool_calls' in message) %}
        {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}
    {%- elif 'tool_calls' in message %}
        {%- if not message.tool_calls|length == 1 %}
            {{- raise_exception("This model only supports single tool-calls at once!") }}
        {%- endif %}
        {%- set tool_call = message.tool_calls[0].function %}
        {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' -}}
        {{- '{"name": "' + tool_call.name + '", ' }}
        {{- '"parameters": ' }}
        {{- tool_call.arguments | tojson }}
        {{- "}" }}
        {{- "<|eot_id|>" }}
    {%- elif message.role == "tool" or message.role == "ipython" %}
        {{- "<|start_header_id|>ipython<|end_header_id|>\\n\\n" }}
        {%- if message.content is mapping or message.content is iterable %}
            {{- message.content | tojson }}
        {%- else %}
            {{- message.content }}
        {%- endif %}
        {{- "<|eot_id|>" }}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}
{%- endif %}
"""

# Loop controls, selectattr, a namespace counter and a raise: the other constructs HF templates lean on.
CONTROLS = """{%- set ns = namespace(turns=0) %}
{%- for message in messages %}
    {%- if message.role == 'system' %}{% continue %}{% endif %}
    {%- if message.content == 'STOP' %}{% break %}{% endif %}
    {%- set ns.turns = ns.turns + 1 %}
[{{ loop.index }}/{{ loop.length }}] {{ message.role | upper }}: {{ message.content }}
{% endfor %}
{{- 'users=' ~ (messages | selectattr('role', 'equalto', 'user') | list | length) ~ ' turns=' ~ ns.turns }}
{%- if messages[-1].role == 'assistant' and add_generation_prompt %}
    {{- raise_exception('the last message is already an answer') }}
{%- endif %}
"""

WEATHER = {"type": "function", "function": {"name": "get_weather", "description": "Weather at a place, \"now\".",
           "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "Zürich?"},
                                                          "days": {"type": "integer", "minimum": 1, "maximum": 7.5}},
                          "required": ["city"]}}}

CHATS = [
    [{"role": "user", "content": "Hello!"}],
    [{"role": "system", "content": "  Be brief.\n"}, {"role": "user", "content": "What is 2+2?"},
     {"role": "assistant", "content": "4"}, {"role": "user", "content": "  And 3+3? \t"}],
    [{"role": "user", "content": "Ünïcödé — 日本語 🦊 \"quotes\" and \\backslashes\\ {{ not a tag }}"},
     {"role": "assistant", "content": "Sure.\n\nTwo lines."}],
    [{"role": "system", "content": "sys"}, {"role": "user", "content": "STOP"}, {"role": "user", "content": "x"}],
]
TOOL_CHAT = [{"role": "user", "content": "Weather in Paris?"},
             {"role": "assistant", "content": "",
              "tool_calls": [{"type": "function", "function": {"name": "get_weather",
                                                               "arguments": {"city": "Paris", "days": 2}}}]},
             {"role": "tool", "content": "{\"temp\": 21}"}]


def tokenizer_folder(out: Path, name: str, specials: dict, template: str, inline: bool) -> Path:
    vocab = {t: i for i, t in enumerate(["<unk>"] + list("abcdefghijklmnopqrstuvwxyz "))}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="<unk>", **specials)
    fast.chat_template = template
    folder = out / name
    fast.save_pretrained(folder)
    config = folder / "tokenizer_config.json"
    cfg = json.loads(config.read_text())
    jinja = folder / "chat_template.jinja"
    # Both places transformers keeps a template: inline in tokenizer_config.json (4.x) or chat_template.jinja (5).
    if inline:
        cfg["chat_template"] = template
        jinja.unlink(missing_ok=True)
    else:
        cfg.pop("chat_template", None)
        jinja.write_text(template)
    config.write_text(json.dumps(cfg, indent=2, ensure_ascii=False))
    return folder


def main() -> None:
    out = Path(sys.argv[1])
    folders = {
        "qwen25": tokenizer_folder(out, "qwen25", {"eos_token": "<|im_end|>", "pad_token": "<|endoftext|>",
                                                   "additional_special_tokens": ["<|im_start|>", "<|im_end|>"]},
                                   QWEN25, inline=True),
        "llama32": tokenizer_folder(out, "llama32", {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>",
                                                     "pad_token": "<|finetune_right_pad_id|>"},
                                    LLAMA32, inline=False),
        "controls": tokenizer_folder(out, "controls", {"eos_token": "</s>"}, CONTROLS, inline=True),
    }
    cases = []
    for name, folder in folders.items():
        tok = AutoTokenizer.from_pretrained(folder)
        runs = [(chat, None, gen) for chat in CHATS for gen in (True, False)]
        if name != "controls":
            runs += [(TOOL_CHAT, [WEATHER], False), (CHATS[0], [WEATHER], True)]
        if name == "llama32":
            runs.append(([{"role": "system", "content": "only a system turn"}], [WEATHER], True))
        if name == "controls":
            runs.append((CHATS[2], None, True))
        for chat, tools, gen in runs:
            case = {"folder": str(folder), "messages": chat, "tools": tools, "add_generation_prompt": gen}
            try:
                case["expected"] = tok.apply_chat_template(chat, tools=tools, tokenize=False,
                                                           add_generation_prompt=gen)
            except Exception as e:  # the template's raise_exception: our render must fail with the same message
                case["error"] = str(e)
            cases.append(case)
    print(json.dumps({"cases": cases}, ensure_ascii=False))


if __name__ == "__main__":
    main()
