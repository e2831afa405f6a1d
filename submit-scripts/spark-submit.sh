#!/usr/bin/env bash
# Submits a sparktrain command to a real cluster with your Spark installation's spark-submit.
#
#   SPARK_SUBMIT_OPTS... submit-scripts/spark-submit.sh [spark-submit options] -- <command> [options]
#
# YARN (as tested by jobs/src/test/java/sparktrain/jobs/YarnSubmitIT.java on a MiniYARNCluster with
# HDFS and the NodeManagers' physical-memory check on and enforced: on Hadoop 3.3.x that takes
# yarn.nodemanager.resource.memory.enforced=false without cgroups, see the README's "YARN";
# HADOOP_CONF_DIR or YARN_CONF_DIR must name the cluster's config directory). Data and run
# directory on HDFS; the driver runs in the ApplicationMaster's container with --deploy-mode
# cluster (its log: yarn logs -applicationId ID), in this process with client. spark-submit
# exits 0 when the job succeeded, non-zero when it failed.
#   submit-scripts/spark-submit.sh --master yarn --deploy-mode cluster \
#       --num-executors 2 --executor-cores 1 \
#       --conf spark.executor.memory=4g --conf spark.executor.memoryOverhead=4g \
#       --conf "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=3g -Dorg.bytedeco.javacpp.maxphysicalbytes=8g" \
#       --conf spark.executorEnv.OMP_NUM_THREADS=1 \
#       --files conf/mnist-mlp.conf -- \
#       train --config mnist-mlp.conf --set data.train.images=hdfs:///data/mnist/train-images-idx3-ubyte ... \
#       --set training.workers=2 --output hdfs:///runs/mnist-1
# (training.workers = executors x cores: the barrier engine needs all its task slots at once.)
# An executor killed for exceeding its container's memory is explained in the driver log and on
# the console (which setting to raise), and training fails with that reason (exit 1).
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
  st_die "$SPARK_SUBMIT not found${SPARK_HOME:+ (SPARK_HOME=$SPARK_HOME)}: set SPARK_HOME to a Spark installation of the line sparktrain was built for (Spark 4 by default, Spark 3.5 with -Pspark-3.5) or put its bin/ on PATH (without a Spark installation: submit-scripts/local-cluster start, then submit-scripts/sparktrain train --master URL ...)"
st_build_if_needed

# A jar built for one Scala line does not load on a Spark of the other: say so before submitting.
built_scala=$(st_built scala.binary.version)
spark_scala=$("$SPARK_SUBMIT" --version 2>&1 | sed -n 's/.*Using Scala version \([0-9]*\.[0-9]*\).*/\1/p' | head -n 1)
if [[ -n "$spark_scala" && -n "$built_scala" && "$spark_scala" != "$built_scala" ]]; then
  if [[ "$spark_scala" == 2.12 ]]; then
    how="build for Spark 3.5 with './mvnw -B -Pspark-3.5 -DskipTests package'"
  else
    how="build for Spark 4 with './mvnw -B -DskipTests package'"
  fi
  st_die "$SPARK_SUBMIT runs Scala $spark_scala, and sparktrain was built for Spark $(st_built spark.version) / Scala $built_scala ($(st_shaded_jar)): $how, or use a Spark installation of that line"
fi

# The driver's ND4J buffers as the launcher's (sparktrain.runtime.NativeAllocator); the executors'
# come from spark.executorEnv, which sparktrain sets unless given.
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-2097152}"
exec "$SPARK_SUBMIT" \
  --class sparktrain.jobs.SparktrainCli \
  --conf spark.serializer=org.apache.spark.serializer.KryoSerializer \
  --conf spark.kryo.registrator=sparktrain.spark.Nd4jKryoRegistrator \
  "${submit_args[@]}" \
  "$(st_shaded_jar)" "$@"
