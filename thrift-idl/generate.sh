#!/usr/bin/env bash
# Regenerates thrift-idl/src/main/java from src/main/thrift/*.thrift with the Apache Thrift compiler
# (Debian/Ubuntu: apt-get install thrift-compiler; 0.17). Run it after changing an IDL file and commit
# the result; ThriftIdlCurrentTest checks that the committed Java is what the compiler makes.
# Usage: generate.sh [output-dir]   (default: src/main/java)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
out="${1:-src/main/java}"
command -v thrift >/dev/null || { echo "The Thrift compiler is not installed: apt-get install thrift-compiler" >&2; exit 1; }
rm -rf "$out/dev/mortar/thrift"
mkdir -p "$out"
for idl in src/main/thrift/*.thrift; do
  # generated_annotations=suppress: no @Generated with a date, so the output is the same on every run
  thrift --gen java:generated_annotations=suppress,private_members -out "$out" "$idl"
done
