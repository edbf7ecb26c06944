# Shared helpers for Mortar's scripts.

# Prints a JDK home of version 21 or newer (JDK 25 preferred), or fails with a clear message.
mortar_find_jdk() {
  local candidates=("${MORTAR_JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 "${JAVA_HOME:-}" /usr/lib/jvm/*)
  local c v
  for c in "${candidates[@]}"; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v="$("$c/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
    if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null; then
      echo "$c"
      return 0
    fi
  done
  echo "Mortar needs a JDK 21 or newer (JDK 25 recommended: /usr/lib/jvm/temurin-25-jdk-amd64). Set MORTAR_JAVA_HOME to one." >&2
  return 1
}

# Installs Maven from Debian's packages when it is missing.
mortar_require_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "Installing Maven..." >&2
    (apt-get update -q && apt-get install -y -q maven) >&2
  fi
}

mortar_port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Starts the machine's MariaDB (3306) and PostgreSQL (5432) when they are installed but not running.
mortar_start_databases() {
  if ! mortar_port_open 3306; then
    if [ -x /usr/sbin/mariadbd ]; then
      echo "Starting MariaDB..." >&2
      start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
    else
      echo "MariaDB is not installed; installing it..." >&2
      (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q mariadb-server) >&2
      start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
    fi
  fi
  if ! mortar_port_open 5432; then
    if ! ls /etc/postgresql >/dev/null 2>&1; then
      echo "PostgreSQL is not installed; installing it..." >&2
      (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql) >&2
    fi
    echo "Starting PostgreSQL..." >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
  local i
  for i in $(seq 1 60); do
    if mortar_port_open 3306 && mortar_port_open 5432; then
      return 0
    fi
    sleep 1
  done
  echo "MariaDB (127.0.0.1:3306) and PostgreSQL (127.0.0.1:5432) must be running for the store tests." >&2
  return 1
}

# Installs Debian packages that tests drive as real clients (boto3, the AWS CLI) when they are missing.
mortar_require_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing ${missing[*]}..." >&2
    (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}") >&2
  fi
}
