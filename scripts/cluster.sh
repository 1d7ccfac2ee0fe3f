#!/usr/bin/env bash
# Runs module 8's pipeline on a real Spark standalone cluster on this machine, and checks it.
# Documented in module-08-etl-pipeline/CLUSTER.md.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/cluster.sh [options]

Starts a Spark standalone cluster on this machine (one master and two workers, each a separate
JVM on 127.0.0.1, one core and 1 GB each), submits module 8's pipeline application to it with
spark-submit, lets it process a bounded clickstream from datagen (Trigger.AvailableNow), proves
that the executors ran in both worker JVMs, checks the gold tables, and stops the cluster.
Everything goes under target/cluster/ (logs in target/cluster/logs). Needs only a JDK 17.

Options:
  --events N      clickstream events to generate (default 4000; at least 1000)
  --timeout S     seconds the application may run before it is stopped (default 600)
  --probe         submit a small probe application (a batch sum and a file stream into Delta)
                  instead of the pipeline: tells a broken cluster from a broken pipeline
  --no-build      reuse the jars and the Spark home an earlier run built
  --offline       run Maven offline (-o): everything it needs is already in ~/.m2
  -h, --help      this text

Exit status: 0 when every check passed; 1 when a check or a step failed; 2 for a bad option.
EOF
}

fail_usage() { echo "cluster.sh: $* (see scripts/cluster.sh --help)" >&2; exit 2; }

events=4000
app_timeout=600
probe=false
build=true
maven_offline=()
while [ $# -gt 0 ]; do
  case "$1" in
    --events)
      [ $# -ge 2 ] || fail_usage "--events needs a number"
      [[ "$2" =~ ^[0-9]+$ ]] && [ "$2" -ge 1000 ] || fail_usage "--events must be a whole number of at least 1000, not '$2'"
      events=$2; shift 2 ;;
    --timeout)
      [ $# -ge 2 ] || fail_usage "--timeout needs a number of seconds"
      [[ "$2" =~ ^[0-9]+$ ]] && [ "$2" -ge 10 ] || fail_usage "--timeout must be a whole number of seconds, at least 10, not '$2'"
      app_timeout=$2; shift 2 ;;
    --probe) probe=true; shift ;;
    --no-build) build=false; shift ;;
    --offline) maven_offline=(-o); shift ;;
    -h|--help) usage; exit 0 ;;
    *) fail_usage "unknown option '$1'" ;;
  esac
done

cd "$(dirname "$0")/.."
repo=$(pwd)
started=$SECONDS
step() { printf '\n=== [%3ss] %s\n' "$((SECONDS - started))" "$*"; }
die() { echo "FAIL: $*" >&2; exit 1; }

# ---- Java 17, and the JVM flags Spark 3.5 needs on it (the parent pom's spark.jvm.flags) ----------
command -v timeout >/dev/null || die "no 'timeout' command: install GNU coreutils (this script is made for Linux or WSL 2)"
java_cmd=${JAVA_HOME:+$JAVA_HOME/bin/}java
command -v "$java_cmd" >/dev/null || die "no java found: install a JDK 17 or set JAVA_HOME"
java_version=$("$java_cmd" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[ "$java_version" = 17 ] || die "this needs Java 17 (Spark 3.5 does not run on Java 21+); $java_cmd is Java $java_version: set JAVA_HOME to a JDK 17"
spark_jvm_flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' pom.xml)
[ -n "$spark_jvm_flags" ] || die "could not read <spark.jvm.flags> from pom.xml"
read -r -a jvm_flags <<<"$spark_jvm_flags -Duser.timezone=UTC"

work=$repo/target/cluster
spark_home=$work/spark-home
logs=$work/logs
module=module-08-etl-pipeline
app_jar=$repo/$module/target/$module-1.0.0-SNAPSHOT.jar

# ---- 1. Build: module 8 and what it depends on, in the reactor (nothing installed into ~/.m2) ------
if $build; then
  step "Build module 8 and list its runtime dependencies (./mvnw -pl $module -am package dependency:list)"
  ./mvnw -B -q "${maven_offline[@]}" -pl "$module" -am package dependency:list -DskipTests \
    -DoutputFile=target/runtime-dependencies.txt -DoutputAbsoluteArtifactFilename=true -DincludeScope=runtime \
    || die "the build failed (see above)"
  step "Spark's own jars: the dependency tree of spark-sql (scripts/cluster/spark-home-pom.xml)"
  mkdir -p "$work"
  ./mvnw -B -q "${maven_offline[@]}" -f scripts/cluster/spark-home-pom.xml dependency:tree \
    -DoutputFile="$work/spark-tree.txt" || die "could not resolve Spark's dependencies (see above)"

  # A Spark home as a distribution has it: jars/ with Spark and its dependencies (links into the
  # local Maven repository, in the versions module 8 resolves), conf/ with quiet logging.
  # Everything else module 8 needs at run time (Delta, the Kafka connector, the workshop's
  # testkit and datagen, picocli...) is the application's: it goes to spark-submit's --jars.
  rm -rf "$spark_home"
  mkdir -p "$spark_home/jars" "$spark_home/conf"
  sed -E 's/^[-|+\\ ]*//' "$work/spark-tree.txt" | cut -d: -f1,2 | sort -u >"$work/spark-artifacts.txt"
  : >"$work/app-jars.txt"
  while IFS= read -r line; do
    line=${line%% -- *}
    [[ "$line" =~ ^\ +([^:]+):([^:]+):.*:(/.+\.jar)$ ]] || continue
    coordinates="${BASH_REMATCH[1]}:${BASH_REMATCH[2]}" jar="${BASH_REMATCH[3]}"
    if grep -qxF "$coordinates" "$work/spark-artifacts.txt"; then
      ln -s "$jar" "$spark_home/jars/"
    else
      echo "$jar" >>"$work/app-jars.txt"
    fi
  done <"$module/target/runtime-dependencies.txt"
  cp testkit/src/main/resources/log4j2.properties "$spark_home/conf/"
  # The probe and the check live in module 8's test sources: a small jar of their own.
  "${JAVA_HOME:+$JAVA_HOME/bin/}jar" cf "$work/cluster-tools.jar" -C "$module/target/test-classes" io/streamingworkshop/pipeline/cluster
  echo "Spark home $spark_home: $(ls "$spark_home/jars" | wc -l) jars; the application: $(basename "$app_jar") and $(wc -l <"$work/app-jars.txt") jars for --jars"
fi
[ -f "$app_jar" ] && [ -s "$work/app-jars.txt" ] && [ -d "$spark_home/jars" ] && [ -f "$work/cluster-tools.jar" ] \
  || die "nothing built yet under $work: run without --no-build"
app_jars=$(paste -sd, "$work/app-jars.txt")
local_classpath="$spark_home/conf:$spark_home/jars/*:$(paste -sd: "$work/app-jars.txt"):$app_jar:$work/cluster-tools.jar"

# ---- Start from a clean run directory; stop every JVM this script started, however it ends --------
rm -rf "$work/run" "$logs" "$work/events" "$work/work"
mkdir -p "$work/run" "$logs" "$work/events" "$work/work"
data=$work/run/data
root=$work/run/pipeline

pids=()
stop_cluster() {
  local status=$?
  trap - EXIT INT TERM
  local pid child all=()
  # The executors are children of the worker JVMs: collect them before their parents go.
  for pid in "${pids[@]}"; do
    all+=("$pid")
    for child in $(children_of "$pid"); do all+=("$child"); done
  done
  if [ ${#all[@]} -gt 0 ]; then
    for pid in "${all[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 50); do
      local alive=0
      for pid in "${all[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
      [ $alive = 0 ] && break
      sleep 0.2
    done
    for pid in "${all[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    echo "Stopped the cluster's JVMs (${#all[@]} processes)."
  fi
  exit "$status"
}
children_of() {
  local stat
  for stat in /proc/[0-9]*/stat; do
    # Field 4 of /proc/PID/stat is the parent's id (the command in field 2 has no spaces here).
    read -r child _ _ parent _ 2>/dev/null <"$stat" || continue
    [ "$parent" = "$1" ] && echo "$child"
  done
  return 0
}
trap stop_cluster EXIT
trap 'echo; echo "Interrupted."; exit 130' INT
trap 'exit 143' TERM

# A port nothing listens on (bash's /dev/tcp: a refused connection means free).
used_ports=" "
free_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 40000))
    [[ "$used_ports" == *" $port "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      used_ports+="$port "
      echo "$port"
      return
    fi
  done
}

# Waits until a log shows a line, or the JVM writing it has died.
wait_for_log() {
  local pid=$1 log=$2 pattern=$3 what=$4 deadline=$((SECONDS + 90))
  until grep -q "$pattern" "$log" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$log" >&2; die "$what died (log: $log)"; }
    [ $SECONDS -lt $deadline ] || { tail -n 20 "$log" >&2; die "$what did not get ready in 90 s (log: $log)"; }
    sleep 0.5
  done
}

# Daemons log at INFO to their files (Spark's defaults: no conf/ on their class path); the driver
# and the executors (the workers give them conf/) log warnings only.
export SPARK_HOME=$spark_home SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1
daemon() { "$java_cmd" "${jvm_flags[@]}" -Xmx256m -cp "$spark_home/jars/*" "$@"; }

# ---- 2. The input: clicks over two hours of event time, so that 5-minute and 1-hour windows close ----------------------------------------------
step "Generate a bounded clickstream with datagen: late, duplicated and malformed clicks"
"$java_cmd" -cp "$local_classpath" io.streamingworkshop.datagen.cli.DatagenCli files --dataset clickstream \
  --events "$events" --rate 0.5 --seed 42 --events-per-file 500 \
  --late-fraction 0.02 --duplicate-fraction 0.02 --malformed-fraction 0.01 --out "$data/clicks"

# ---- 3. One master, two workers: separate JVMs on loopback -------------------------------------
master_port=$(free_port) master_ui=$(free_port)
master_url=spark://127.0.0.1:$master_port
step "Start the master at $master_url (web UI http://127.0.0.1:$master_ui) and two workers"
daemon org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$master_port" --webui-port "$master_ui" \
  >"$logs/master.log" 2>&1 &
master_pid=$!
pids+=("$master_pid")
wait_for_log "$master_pid" "$logs/master.log" "New state: ALIVE" "the master"

worker_addresses=()
for n in 1 2; do
  worker_port=$(free_port) worker_ui=$(free_port)
  daemon org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port "$worker_port" --webui-port "$worker_ui" \
    --cores 1 --memory 1g --work-dir "$work/work" "$master_url" >"$logs/worker-$n.log" 2>&1 &
  pids+=("$!")
  eval "worker_pid_$n=$!"
  worker_addresses+=("127.0.0.1:$worker_port")
done
for n in 1 2; do
  pid_var=worker_pid_$n
  wait_for_log "${!pid_var}" "$logs/worker-$n.log" "Successfully registered with master" "worker $n"
  echo "worker $n: pid ${!pid_var}, ${worker_addresses[$((n - 1))]}, registered with the master"
done


# ---- 4. spark-submit ------------------------------------------------------------------------------
if $probe; then
  main_class=io.streamingworkshop.pipeline.cluster.ClusterProbe
  submitted_jar=$work/cluster-tools.jar
  submit_jars=$app_jars,$app_jar
  app_args=("$data/clicks" "$root")
else
  main_class=io.streamingworkshop.pipeline.app.PipelineApp
  submitted_jar=$app_jar
  submit_jars=$app_jars
  # --users names no table yet: the application writes the users dimension there (a Delta table,
  # written by the cluster's executors) before the pipeline joins it.
  app_args=(--input "$data/clicks" --root "$root" --users "$data/users" --master "$master_url"
    --available-now --no-dashboard --no-generate)
fi
step "spark-submit --master $master_url --deploy-mode client --class $main_class $(basename "$submitted_jar")"
# The driver is this JVM (client mode): its own flags go on its command line; the executors' come
# from spark.executor.extraJavaOptions. -Dworkshop.impl=solution runs the reference pipeline;
# -Dworkshop.master makes the test kit's session builder use the cluster, as --master does.
set +e
timeout --signal=TERM --kill-after=20 "$app_timeout" \
  "$java_cmd" "${jvm_flags[@]}" -Xmx1g -Dworkshop.impl=solution -Dworkshop.master="$master_url" \
  -Dworkshop.workdir="$work/run/driver" -Djava.io.tmpdir="$work/run" \
  -cp "$spark_home/conf:$spark_home/jars/*" org.apache.spark.deploy.SparkSubmit \
  --master "$master_url" --deploy-mode client --name "workshop pipeline on a cluster" \
  --class "$main_class" --jars "$submit_jars" \
  --conf "spark.executor.extraJavaOptions=${jvm_flags[*]}" \
  --conf spark.executor.memory=768m \
  --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
  --conf spark.eventLog.enabled=true --conf spark.eventLog.dir="file://$work/events" \
  "$submitted_jar" "${app_args[@]}" \
  > >(tee "$logs/driver.out") 2>"$logs/driver.log" &
driver_pid=$!
pids+=("$driver_pid")
wait "$driver_pid"
driver_status=$?
set -e
if [ "$driver_status" -ne 0 ]; then
  tail -n 30 "$logs/driver.log" >&2
  [ "$driver_status" -eq 124 ] && die "the application did not finish within $app_timeout s (log: $logs/driver.log)"
  die "the application failed with exit status $driver_status (log: $logs/driver.log; executors' logs under $work/work)"
fi
app_seconds=$((SECONDS - started))

# ---- 5 and 6. The proof that executors ran in the workers, and the tables ---------------------------
step "Check: executors in both worker JVMs (master's and workers' /json/, the event log), then the tables"
check_args=(verify --master-ui "http://127.0.0.1:$master_ui" --event-log "$work/events"
  --workers "$(IFS=,; echo "${worker_addresses[*]}")" --root "$root" --input "$data/clicks" --save "$logs")
$probe && check_args+=(--probe)
set +e
"$java_cmd" "${jvm_flags[@]}" -Xmx1g -Djava.io.tmpdir="$work/run" -Dworkshop.workdir="$work/run/local" \
  -cp "$local_classpath" io.streamingworkshop.pipeline.cluster.ClusterCheck "${check_args[@]}" \
  2>"$logs/check.log" | tee "$logs/check.out"
check_status=${PIPESTATUS[0]}
set -e
[ "$check_status" -eq 0 ] || { tail -n 20 "$logs/check.log" >&2; die "the checks failed (log: $logs/check.log)"; }

# ---- 7. Summary ----------------------------------------------------------------------------------
step "Summary"
echo "Application: $main_class on $master_url, done after ${app_seconds} s"
grep -E "^  worker " "$logs/check.out" || true
grep -E "^(Gold|Probe)" "$logs/check.out" || true
echo "Wall time: $((SECONDS - started)) s. Logs: ${logs#"$repo"/}. All checks passed."
