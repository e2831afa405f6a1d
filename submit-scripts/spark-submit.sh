#!/usr/bin/env bash
# Submits a sparktrain command to a real cluster with your Spark installation's spark-submit.
#
#   SPARK_SUBMIT_OPTS... submit-scripts/spark-submit.sh [spark-submit options] -- <command> [options]
#
# Example (YARN, data and run directory on HDFS):
#   submit-scripts/spark-submit.sh --master yarn --deploy-mode cluster \
#       --num-executors 4 --executor-cores 4 --executor-memory 8g \
#       --files conf/mnist-mlp.conf -- \
#       train --config mnist-mlp.conf --set data.train.images=hdfs:///data/mnist/train-images-idx3-ubyte ... \
#       --output hdfs:///runs/mnist-1
#
# Everything before "--" goes to spark-submit, everything after it to sparktrain. The shaded jar is
# built first if needed. Spark settings come from your spark-defaults.conf and the options you pass;
# conf/spark-defaults.conf.example lists what DL4J needs.
set -euo pipefail
ST_PROG=spark-submit.sh
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

submit_args=()
while [[ $# -gt 0 && "$1" != "--" ]]; do
  submit_args+=("$1")
  shift
done
[[ "${1:-}" == "--" ]] ||
  st_die "no '--' between spark-submit's options and the sparktrain command; usage: spark-submit.sh [spark-submit options] -- <command> [options]"
shift
[[ $# -gt 0 ]] ||
  st_die "no sparktrain command after '--'; usage: spark-submit.sh [spark-submit options] -- <command> [options] (e.g. -- train --config FILE)"

SPARK_SUBMIT="${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit"
command -v "$SPARK_SUBMIT" >/dev/null 2>&1 ||
  st_die "$SPARK_SUBMIT not found${SPARK_HOME:+ (SPARK_HOME=$SPARK_HOME)}: set SPARK_HOME to a Spark 3.5 installation or put its bin/ on PATH (without a Spark installation: submit-scripts/local-cluster start, then submit-scripts/sparktrain train --master URL ...)"
st_build_if_needed

exec "$SPARK_SUBMIT" \
  --class sparktrain.jobs.SparktrainCli \
  --conf spark.serializer=org.apache.spark.serializer.KryoSerializer \
  --conf spark.kryo.registrator=org.nd4j.kryo.Nd4jRegistrator \
  "${submit_args[@]}" \
  "$(st_shaded_jar)" "$@"
