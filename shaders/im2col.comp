#version 450
// Unfolds a chunk of a convolution's input into the matrix col [K, ldb] that matmul.comp
// multiplies the weight [c_out, K] with (reel_cpu_conv3d; reel_cpu_conv2d is the one-frame
// case). Row k = ((ci·kt + dt)·kh + dy)·kw + dx; column j is the j-th output position of the
// chunk in (t, h, w) order. Taps outside the input, and the columns that pad each row to ldb,
// are zero. Causal temporal padding is a front padding of kt − 1 frames.
//
// Why not an implicit GEMM that gathers straight from x: on lavapipe every gathered value pays
// the index arithmetic and bounds checks inside the product's inner loop, which measured 6–8×
// slower than unfolding once and running the register-tiled matmul. The host bounds the chunk
// so that col stays a few tens of MiB, and it always holds whole output rows.

layout (local_size_x = 64) in;

layout (binding = 0) readonly buffer X { float x[]; };
layout (binding = 1) writeonly buffer Col { float col[]; };

layout (push_constant) uniform Push
{
  uint c_in, t, h, w;
  uint kt, kh, kw;
  uint st, sh, sw;
  uint pad_t, pad_h, pad_w;   // front padding of each axis
  uint ho, wo;
  uint row_start;             // the chunk is output rows (ot·ho + oy) row_start …
  uint n_rows;                // … row_start + n_rows − 1, all their wo positions
  uint ldb;                   // row stride of col: n_rows · wo rounded up to a multiple of 4
  uint x_off;                 // the batch item's first input value
} p;

// x runs along an output row, y over the input channels and z over the chunk's rows, so that
// every division is by workgroup-uniform values (lavapipe has no vector integer division),
// and each invocation loops over its channel's kt·kh·kw taps (a workgroup per tap would cost
// more in scheduling than in copying).
void main ()
{
  const uint ox = gl_GlobalInvocationID.x;
  const uint ci = gl_WorkGroupID.y;
  const uint rr = gl_WorkGroupID.z;
  const uint j = rr * p.wo + ox;
  const uint taps = p.kt * p.kh * p.kw;
  uint at = ci * taps * p.ldb + j;

  if (ox >= p.wo)
    {
      // The last row also zeroes the columns that pad col's rows to ldb.
      if (rr == p.n_rows - 1 && j < p.ldb)
        for (uint k = 0; k < taps; k++, at += p.ldb)
          col[at] = 0.0;
      return;
    }

  const uint row = p.row_start + rr;
  const uint oy = row % p.ho, ot = row / p.ho;
  const int it0 = int (ot * p.st) - int (p.pad_t);
  const int iy0 = int (oy * p.sh) - int (p.pad_h);
  const int ix0 = int (ox * p.sw) - int (p.pad_w);
  const uint x_ci = p.x_off + ci * p.t * p.h * p.w;

  for (uint dt = 0; dt < p.kt; dt++)
    for (uint dy = 0; dy < p.kh; dy++)
      for (uint dx = 0; dx < p.kw; dx++, at += p.ldb)
        {
          const int it = it0 + int (dt), iy = iy0 + int (dy), ix = ix0 + int (dx);

          col[at] = it >= 0 && it < int (p.t) && iy >= 0 && iy < int (p.h) && ix >= 0
                    && ix < int (p.w)
                    ? x[x_ci + (uint (it) * p.h + uint (iy)) * p.w + uint (ix)]
                    : 0.0;
        }
}
