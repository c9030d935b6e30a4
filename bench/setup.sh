#!/usr/bin/env bash
# setup.sh: installs the comparisons' Debian packages when they are missing:
#   libadolc-dev   ADOL-C headers and library (/usr/include/adolc, -ladolc)
#   python3-torch  PyTorch for Debian's /usr/bin/python3
#   gnuplot-nox    the plot
#   g++            the ADOL-C versions are C++
# Without root or without the packages, it says so and the suite runs
# without those columns.
set -u
missing=()
[ -f /usr/include/adolc/adolc.h ] || missing+=(libadolc-dev)
# from /, since bench/torch/ would pass for the package
(cd / && /usr/bin/python3 -c 'import torch') 2> /dev/null || missing+=(python3-torch)
command -v gnuplot > /dev/null || missing+=(gnuplot-nox)
command -v g++ > /dev/null || missing+=(g++)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}"
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo -n"
export DEBIAN_FRONTEND=noninteractive
if $sudo apt-get update -q > /dev/null && $sudo apt-get install -y -q "${missing[@]}" > /dev/null; then
  echo "setup: done"
else
  echo "setup: could not install ${missing[*]}; those columns will be missing" >&2
fi
exit 0
