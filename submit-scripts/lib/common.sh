# Shared by the scripts in submit-scripts/: project paths, build-if-needed, Java flags.
# shellcheck shell=bash

ST_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ST_JOBS_TARGET="$ST_ROOT/jobs/target"
ST_CLASSPATH_FILE="$ST_JOBS_TARGET/classpath.txt"

# Spark's module flags for a JVM that spark-submit did not start (see DESIGN §6 / the parent pom).
ST_JAVA17_FLAGS=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
)

st_die() {
  echo "sparktrain: $*" >&2
  exit 2
}

st_require_java() {
  command -v java >/dev/null 2>&1 || st_die "java not found: install a Java 17 JDK and put it on PATH"
  local v
  v=$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
  [[ "${v%%.*}" -ge 17 ]] 2>/dev/null || st_die "Java 17 or newer is needed (found: ${v:-unknown})"
}

# The thin jobs jar (the shaded one has the "-all" classifier).
st_jobs_jar() {
  ls "$ST_JOBS_TARGET"/sparktrain-jobs-*.jar 2>/dev/null | grep -v -- '-all.jar' | head -1
}

st_shaded_jar() {
  ls "$ST_JOBS_TARGET"/sparktrain-jobs-*-all.jar 2>/dev/null | head -1
}

# Builds with the Maven wrapper when the jars are missing or any source is newer than them.
st_build_if_needed() {
  local jar
  jar=$(st_jobs_jar)
  if [[ -n "$jar" && -f "$ST_CLASSPATH_FILE" ]] &&
    [[ -z "$(find "$ST_ROOT/common/src/main" "$ST_ROOT/jobs/src/main" "$ST_ROOT/pom.xml" \
      "$ST_ROOT/common/pom.xml" "$ST_ROOT/jobs/pom.xml" -newer "$jar" -type f -print -quit)" ]]; then
    return 0
  fi
  echo "sparktrain: building (first run downloads dependencies; later runs skip this)..." >&2
  (cd "$ST_ROOT" && ./mvnw -B -q -DskipTests package) >&2 ||
    { echo "sparktrain: build failed" >&2; exit 1; }
}

# SPARK_LOCAL_IP: machines without a resolvable hostname need it; keep the user's choice.
st_spark_local_ip() {
  if [[ -z "${SPARK_LOCAL_IP:-}" ]] && ! getent hosts "$(hostname)" >/dev/null 2>&1; then
    export SPARK_LOCAL_IP=127.0.0.1
  fi
}
