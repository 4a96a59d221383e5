#version 450
// Row normalisations, one workgroup per row of `dim` values:
//   -DLAYER_NORM  (x − mean) / sqrt(var + eps) · weight + bias   (reel_cpu_layer_norm)
//   -DRMS_NORM    x / sqrt(mean(x²) + eps) · weight              (reel_cpu_rms_norm)
//   -DGROUP_NORM  layer norm over each group's channels × spatial values, with per-channel
//                 weight and bias (reel_cpu_group_norm); a "row" is one group.
// The statistics take two passes over the row (mean, then squared deviations) to stay exact
// for rows with a large mean. In place is fine: each value is read before it is written by
// the same invocation.

#extension GL_GOOGLE_include_directive : require

#define REDUCE_SIZE 128
layout (local_size_x = REDUCE_SIZE) in;

layout (constant_id = 0) const bool HAS_WEIGHT = false;
layout (constant_id = 1) const bool HAS_BIAS = false;

layout (binding = 0) readonly buffer X { float x[]; };
layout (binding = 1) readonly buffer Weight { float weight[]; };
layout (binding = 2) readonly buffer Bias { float bias[]; };
layout (binding = 3) writeonly buffer Y { float y[]; };

layout (push_constant) uniform Push
{
  uint rows;
  uint dim;       // values per row (per group: channels/groups × spatial)
  uint spatial;   // GROUP_NORM: values per channel
  uint group_channels;
  float eps;
} p;

#include "index.glsl"
#include "reduce.glsl"

void main ()
{
  const uint row = flat_group ();
  const uint t = gl_LocalInvocationID.x;

  if (row >= p.rows)
    return;

  const uint base = row * p.dim;
  float mean = 0.0, s = 0.0;

#if defined(RMS_NORM)
  for (uint i = t; i < p.dim; i += REDUCE_SIZE)
    s += x[base + i] * x[base + i];
  const float inv = inversesqrt (workgroup_sum (s) / float (p.dim) + p.eps);
#else
  for (uint i = t; i < p.dim; i += REDUCE_SIZE)
    s += x[base + i];
  mean = workgroup_sum (s) / float (p.dim);
  s = 0.0;
  for (uint i = t; i < p.dim; i += REDUCE_SIZE)
    {
      const float d = x[base + i] - mean;
      s += d * d;
    }
  const float inv = inversesqrt (workgroup_sum (s) / float (p.dim) + p.eps);
#endif

  for (uint i = t; i < p.dim; i += REDUCE_SIZE)
    {
#if defined(GROUP_NORM)
      const uint c = row * p.group_channels + i / p.spatial;
#else
      const uint c = i;
#endif
      float v = (x[base + i] - mean) * inv;

      if (HAS_WEIGHT)
        v *= weight[c];
      if (HAS_BIAS)
        v += bias[c];
      y[base + i] = v;
    }
}
