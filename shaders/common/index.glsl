// Flat invocation index for 1-D ops. Large tensors need more groups than one dimension of a
// dispatch allows, so the host spreads them over x and y (see reel-vk-backend.c, grid_1d).
uint flat_index ()
{
  return (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * gl_WorkGroupSize.x
         + gl_LocalInvocationID.x;
}

// Same for ops that give one workgroup per row.
uint flat_group ()
{
  return gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
}
