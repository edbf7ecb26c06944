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
