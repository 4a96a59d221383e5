// Workgroup sum and max over REDUCE_SIZE invocations (the local size of the including shader).
// A tree in shared memory: few barriers, which lavapipe pays for dearly.
shared float reduce_scratch[REDUCE_SIZE];

float workgroup_sum (float v)
{
  uint i = gl_LocalInvocationID.x;

  barrier ();
  reduce_scratch[i] = v;
  barrier ();
  for (uint s = REDUCE_SIZE / 2; s > 0; s >>= 1)
    {
      if (i < s)
        reduce_scratch[i] += reduce_scratch[i + s];
      barrier ();
    }
  return reduce_scratch[0];
}

float workgroup_max (float v)
{
  uint i = gl_LocalInvocationID.x;

  barrier ();
  reduce_scratch[i] = v;
  barrier ();
  for (uint s = REDUCE_SIZE / 2; s > 0; s >>= 1)
    {
      if (i < s)
        reduce_scratch[i] = max (reduce_scratch[i], reduce_scratch[i + s]);
      barrier ();
    }
  return reduce_scratch[0];
}
