# Shared by the scripts in submit-scripts/: project paths, build-if-needed, Java flags.
# Messages start with $ST_PROG (default "sparktrain"); a script may set it before sourcing this.
# shellcheck shell=bash

ST_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ST_JOBS_TARGET="$ST_ROOT/jobs/target"
ST_CLASSPATH_FILE="$ST_JOBS_TARGET/classpath.txt"
# Which Spark line the last build was for (jobs/pom.xml writes it): line=spark4.2_2.13 or
# spark3.5_2.12, spark.version, scala.binary.version, hadoop.version, build.args (-Pspark-3.5 or
# nothing). The scripts use the jars of that line and rebuild with its arguments.
ST_LINE_FILE="$ST_JOBS_TARGET/spark-line.properties"

# A value of the last build's spark-line.properties (nothing when there is no build yet).
st_built() {
  [[ -f "$ST_LINE_FILE" ]] || return 0
  sed -n "s/^$1=//p" "$ST_LINE_FILE" | head -n 1
}

# Spark's module flags for a JVM that spark-submit did not start (see DESIGN §6 / the parent pom).
# shellcheck disable=SC2034 # used by the scripts that source this file
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
  -Dio.netty.tryReflectionSetAccessible=true
)

# Usage or environment error the user can fix before anything runs: the message, exit 2.
st_die() {
  echo "${ST_PROG:-sparktrain}: $*" >&2
  exit 2
}

# Runtime failure (a build, a daemon): the message, exit 1.
st_fail() {
  echo "${ST_PROG:-sparktrain}: $*" >&2
  exit 1
}

st_require_java() {
  command -v java >/dev/null 2>&1 || st_die "java not found: install a Java 17 JDK and put it on PATH"
  local v
  v=$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
  [[ "${v%%.*}" =~ ^[0-9]+$ && "${v%%.*}" -ge 17 ]] ||
    st_die "Java 17 or newer is needed, found ${v:-an unreadable version} ($(command -v java)): put a Java 17+ JDK's bin/ first on PATH"
}

# The thin jobs jar of the last build's Spark line (sparktrain-jobs-VERSION-LINE.jar; the shaded
# one has the "-all" classifier), or nothing (status 0) when there is none yet: finding nothing is
# an answer, not an error (under set -e a failing lookup would end the caller silently).
st_jobs_jar() {
  local f line
  line=$(st_built line)
  [[ -n "$line" ]] || return 0
  for f in "$ST_JOBS_TARGET"/sparktrain-jobs-*-"$line".jar; do
    if [[ -f "$f" ]]; then
      printf '%s\n' "$f"
      return 0
    fi
  done
  return 0
}

# The shaded jar of the last build's Spark line, or nothing (status 0) when there is none yet.
st_shaded_jar() {
  local f line
  line=$(st_built line)
  [[ -n "$line" ]] || return 0
  for f in "$ST_JOBS_TARGET"/sparktrain-jobs-*-"$line"-all.jar; do
    if [[ -f "$f" ]]; then
      printf '%s\n' "$f"
      return 0
    fi
  done
  return 0
}

# Builds with the Maven wrapper when the jars are missing or any source is newer than them; exits 1
# with what failed and what to do when the build fails or leaves a jar missing. The first build is
# for the default Spark line (Spark 4); a rebuild keeps the line that was built (-Pspark-3.5 stays).
st_build_if_needed() {
  local jar sources=("$ST_ROOT/common/src/main" "$ST_ROOT/jobs/src/main" "$ST_ROOT/pom.xml"
    "$ST_ROOT/common/pom.xml" "$ST_ROOT/jobs/pom.xml")
  [[ ! -d "$ST_ROOT/common/src/dl4j-spark" ]] || sources+=("$ST_ROOT/common/src/dl4j-spark")
  jar=$(st_jobs_jar)
  if [[ -n "$jar" && -n "$(st_shaded_jar)" && -f "$ST_CLASSPATH_FILE" ]] &&
    [[ -z "$(find "${sources[@]}" -newer "$jar" -type f -print -quit)" ]]; then
    return 0
  fi
  local build_args=()
  read -r -a build_args <<<"$(st_built build.args)"
  [[ -x "$ST_ROOT/mvnw" ]] ||
    st_fail "cannot build: the Maven wrapper $ST_ROOT/mvnw is missing or not executable (a partial checkout?); run 'git checkout -- mvnw .mvn' or 'chmod +x mvnw'"
  if [[ -z "$jar" ]]; then
    echo "sparktrain: building the project (first run: Maven and the dependencies are downloaded, a few minutes; later runs skip this)..." >&2
  else
    echo "sparktrain: sources changed since the last build: rebuilding..." >&2
  fi
  local rc=0
  (cd "$ST_ROOT" && ./mvnw -B -q "${build_args[@]}" -DskipTests package) >&2 || rc=$?
  ((rc == 0)) ||
    st_fail "build failed (./mvnw -B -q ${build_args[*]:+${build_args[*]} }-DskipTests package in $ST_ROOT exited $rc; Maven's errors are above): fix what they name, or run './mvnw -B ${build_args[*]:+${build_args[*]} }-DskipTests package' there for the full output"
  local missing=()
  [[ -s "$ST_LINE_FILE" ]] || missing+=("$ST_LINE_FILE")
  [[ -n "$(st_jobs_jar)" ]] || missing+=("$ST_JOBS_TARGET/sparktrain-jobs-<version>-<spark line>.jar")
  [[ -n "$(st_shaded_jar)" ]] || missing+=("$ST_JOBS_TARGET/sparktrain-jobs-<version>-<spark line>-all.jar")
  [[ -s "$ST_CLASSPATH_FILE" ]] || missing+=("$ST_CLASSPATH_FILE")
  ((${#missing[@]} == 0)) ||
    st_fail "the build succeeded but did not produce ${missing[*]}; run './mvnw -B -DskipTests package' in $ST_ROOT and check jobs/pom.xml's packaging"
}

# SPARK_LOCAL_IP: machines without a resolvable hostname need it; keep the user's choice.
# A hostname that does not resolve, or resolves to loopback, makes Spark guess an interface.
st_spark_local_ip() {
  if [[ -z "${SPARK_LOCAL_IP:-}" ]]; then
    local addr
    addr=$(getent hosts "$(hostname)" 2>/dev/null | awk '{print $1; exit}')
    if [[ -z "$addr" || "$addr" == 127.* || "$addr" == "::1" ]]; then
      export SPARK_LOCAL_IP=127.0.0.1
    fi
  fi
}

# The classpath with Spark, Hadoop and DL4J: $SPARKTRAIN_CLASSPATH if set, else the build's
# classpath file (building first if needed).
st_spark_classpath() {
  if [[ -n "${SPARKTRAIN_CLASSPATH:-}" ]]; then
    printf '%s\n' "$SPARKTRAIN_CLASSPATH"
    return 0
  fi
  st_build_if_needed
  [[ -s "$ST_CLASSPATH_FILE" ]] ||
    st_fail "classpath file missing after the build: $ST_CLASSPATH_FILE; run './mvnw -B -DskipTests package' in $ST_ROOT"
  cat "$ST_CLASSPATH_FILE"
}

# True when something accepts connections on 127.0.0.1:PORT.
st_port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The first port from START upwards (at most 100 tried) that nothing listens on.
st_free_port() {
  local port="$1" last=$(($1 + 100))
  while ((port < last)); do
    st_port_in_use "$port" || { echo "$port"; return 0; }
    port=$((port + 1))
  done
  st_die "no free port in $1..$((last - 1)) on 127.0.0.1"
}

# Body of an HTTP GET to 127.0.0.1:PORT/PATH (curl if present, else bash's /dev/tcp); fails when
# nothing answers.
st_http_get() {
  local port="$1" path="$2"
  if command -v curl >/dev/null 2>&1; then
    curl -sf --max-time 5 "http://127.0.0.1:$port$path"
  else
    local response
    response=$(
      exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
      printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\n\r\n' "$path" "$port" >&3
      cat <&3
    ) || return 1
    [[ "$response" == "HTTP/1."?" 200"* ]] || return 1
    printf '%s\n' "${response#*$'\r\n\r\n'}"
  fi
}

# The last N (default 30) lines of FILE, indented and headed by its name, on stderr.
st_log_tail() {
  local file="$1" n="${2:-30}"
  [[ -f "$file" ]] || return 0
  echo "--- last $n lines of $file:" >&2
  tail -n "$n" "$file" | sed 's/^/    /' >&2
}
