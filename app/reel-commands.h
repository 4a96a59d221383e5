#pragma once

/* Entry points of the headless subcommands, one file each (reel-cmd-NAME.c). */

int reel_cmd_new  (int argc, char **argv);
int reel_cmd_info (int argc, char **argv);
int reel_cmd_devices (int argc, char **argv);
int reel_cmd_bench (int argc, char **argv);
int reel_cmd_verify (int argc, char **argv);
int reel_cmd_export (int argc, char **argv);
/* `reel bench safety`, reached through reel_cmd_bench(). */
int reel_cmd_bench_safety (int argc, char **argv);
