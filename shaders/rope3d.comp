#version 450
// 3-D rotary position embedding (reel_cpu_rope3d): x [frames·height·width, heads, d], each
// head's channels split into a frame, a row and a column part; pair (2i, 2i+1) of a part of
// size s turns by pos · theta^(−2i/s). One invocation per pair. In place is fine.

#extension GL_GOOGLE_include_directive : require

layout (local_size_x = 256) in;

layout (binding = 0) readonly buffer X { float x[]; };
layout (binding = 1) writeonly buffer Y { float y[]; };

layout (push_constant) uniform Push
{
  uint n_pairs;
  uint height, width, heads, d;
  float log_theta;
} p;

#include "index.glsl"

void main ()
{
  const uint pair = flat_index ();

  if (pair >= p.n_pairs)
    return;

  const uint half_d = p.d / 2;
  const uint ip = pair % half_d;
  const uint token = pair / half_d / p.heads;
  const uint col = token % p.width;
  const uint row = (token / p.width) % p.height;
  const uint frame = token / p.width / p.height;
  const uint part_hw = 2 * (p.d / 6);
  const uint part_t = p.d - 2 * part_hw;
  uint pos, i, size;

  if (2 * ip < part_t)
    pos = frame, i = ip, size = part_t;
  else if (2 * ip < part_t + part_hw)
    pos = row, i = ip - part_t / 2, size = part_hw;
  else
    pos = col, i = ip - (part_t + part_hw) / 2, size = part_hw;

  // theta^(−2i/size) as exp so that the host passes log(theta) computed in double.
  const float angle = float (pos) * exp (-2.0 * float (i) / float (size) * p.log_theta);
  const float c = cos (angle), s = sin (angle);
  const uint at = pair * 2;
  const float re = x[at], im = x[at + 1];

  y[at] = re * c - im * s;
  y[at + 1] = re * s + im * c;
}
