# Sourced by system checks: a virtual environment with the pyspark package from PyPI, whose spark-submit
# runs the assembly jar exactly as a cluster would (local master). Created once, then reused.
PYSPARK_VERSION=4.0.1
PYSPARK_VENV="${REFINERY_CACHE:-$HOME/.cache/refinery}/pyspark-$PYSPARK_VERSION"
if [ ! -x "$PYSPARK_VENV/bin/spark-submit" ]; then
  echo "installing pyspark $PYSPARK_VERSION into $PYSPARK_VENV (first use only)" >&2
  python3 -m venv "$PYSPARK_VENV" >&2
  "$PYSPARK_VENV/bin/pip" install -q "pyspark==$PYSPARK_VERSION" >&2
fi
SPARK_SUBMIT="$PYSPARK_VENV/bin/spark-submit"
SPARK_HOME="$("$PYSPARK_VENV/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
export SPARK_HOME
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
M2="${MAVEN_REPO:-$HOME/.m2/repository}"
# Delta is 'provided' in the assembly, like Spark; the build has already put its jars in the local repo.
DELTA_JARS="$M2/io/delta/delta-spark_2.13/4.0.1/delta-spark_2.13-4.0.1.jar,$M2/io/delta/delta-storage/4.0.1/delta-storage-4.0.1.jar"
ASSEMBLY="$REFINERY_HOME/dist/target/refinery-assembly.jar"
