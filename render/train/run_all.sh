#!/bin/sh
# Runs every training stage in order, resuming the one that is unfinished: a finished stage
# (done.json in its folder) returns at once, an interrupted one continues from its last.pt.
# State lives in $REEL_TRAIN_DIR (default ~/.cache/reel-train).  Start it in the background:
#   setsid nohup nice -n 19 render/train/run_all.sh >> ~/.cache/reel-train/run_all.log 2>&1 &
# One thread by default: on a machine shared with other work, two OpenMP threads at nice 19
# wait on each other and run ~10x slower than one. Set REEL_TRAIN_THREADS=2 on an idle machine.
set -e
export REEL_TRAIN_THREADS=${REEL_TRAIN_THREADS:-1}
here=$(dirname "$(readlink -f "$0")")
py=${REEL_PYTHON:-/usr/bin/python3}
for stage in vae latents text dit; do
  echo "run_all: stage $stage ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
  "$py" "$here/train.py" "$stage"
done
echo "run_all: every stage finished"
