"""PyTorch definitions of Reel's video models (Wan 2.1 structure, small sizes).

Every op used here exists in the C engine (render/cpu/reel-cpu-ops.h) with the same meaning,
so the engine can run the exported weights and match these forwards:
linear, conv2d/conv3d (causal in time), attention (plain, or explicit matmul + bias + softmax
for the text encoder's relative position bias), layer norm (with or without affine), RMS norm,
GELU (tanh), SiLU, softmax, add/mul, modulate, 3-D RoPE, nearest resize, patchify with the
channel index innermost, concat, slice and permute.
"""
