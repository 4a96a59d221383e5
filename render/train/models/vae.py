"""A small causal 3-D VAE in the structure of Wan 2.1's (names as Wan's WanVAE_).

8× spatial and 4× temporal compression to z_dim channels; 1 + 4k frames → 1 + k latent frames;
the first frame is encoded on its own (every temporal op is causal), so a still image encodes
to exactly the first latent frame of any clip that starts with it.

Differences from Wan's VAE, chosen so the whole model is made of the engine's ops and runs on
a whole clip at once (no chunk cache):
  * RMS norm over channels is x / √(mean_c(x²) + 1e-6) · gamma (Wan: F.normalize · √C, the same
    up to the eps); the engine computes it as rms_norm on channel-last data.
  * Spatial down-sampling is a 3×3 stride-2 conv with zero padding 1 on every side
    (Wan: padding only right/bottom).
  * Temporal down-sampling is a causal conv (3,1,1) with stride 2 over the whole clip (two zero
    frames in front): output frame j sees input frames 2j−2…2j.  Temporal up-sampling is a
    causal conv (3,1,1) to 2·C channels, read as [2, C] and interleaved in time, dropping the
    first of the 2T frames: T → 2T − 1.
  * No attention block in the middle (index 1 of `middle` is empty, so the other names match).
  * The per-channel latent mean and std are tensors of the export (`latent_mean`,
    `latent_std`), measured on the training set, instead of constants in code.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalConv3d(nn.Conv3d):
    """Conv3d with zero padding kt−1 frames in the past only, symmetric in space."""

    def __init__(self, c_in, c_out, kernel, stride=1, padding=0):
        super().__init__(c_in, c_out, kernel, stride=stride, padding=0)
        kt, kh, kw = self.kernel_size
        ph, pw = (padding, padding) if isinstance(padding, int) else padding[1:]
        self._pad = (pw, pw, ph, ph, kt - 1, 0)

    def forward(self, x):
        return super().forward(F.pad(x, self._pad))


class RMSNorm(nn.Module):
    """RMS norm over the channel axis of [B, C, T, H, W]; gamma stored as Wan's [C, 1, 1, 1]."""

    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.gamma = nn.Parameter(torch.ones(dim, 1, 1, 1))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(dim=1, keepdim=True) + self.eps) * self.gamma


class ResidualBlock(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.residual = nn.Sequential(
            RMSNorm(c_in), nn.SiLU(), CausalConv3d(c_in, c_out, 3, padding=1),
            RMSNorm(c_out), nn.SiLU(), nn.Identity(), CausalConv3d(c_out, c_out, 3, padding=1))
        self.shortcut = CausalConv3d(c_in, c_out, 1) if c_in != c_out else nn.Identity()

    def forward(self, x):
        return self.shortcut(x) + self.residual(x)


def _per_frame(module, x):
    b, c, t, h, w = x.shape
    y = module(x.transpose(1, 2).reshape(b * t, c, h, w))
    return y.reshape(b, t, y.shape[1], y.shape[2], y.shape[3]).transpose(1, 2)


class Resample(nn.Module):
    def __init__(self, c_in, c_out, mode):
        super().__init__()
        self.mode = mode
        if mode.startswith("downsample"):
            self.resample = nn.Sequential(nn.Identity(), nn.Conv2d(c_in, c_out, 3, stride=2, padding=1))
            if mode == "downsample3d":
                self.time_conv = CausalConv3d(c_out, c_out, (3, 1, 1), stride=(2, 1, 1))
        else:
            self.resample = nn.Sequential(nn.Upsample(scale_factor=2.0, mode="nearest"),
                                          nn.Conv2d(c_in, c_out, 3, padding=1))
            if mode == "upsample3d":
                self.time_conv = CausalConv3d(c_in, c_in * 2, (3, 1, 1))

    def forward(self, x):
        if self.mode == "upsample3d":
            b, c, t, h, w = x.shape
            y = self.time_conv(x).reshape(b, 2, c, t, h, w)
            y = torch.stack((y[:, 0], y[:, 1]), dim=3).reshape(b, c, 2 * t, h, w)
            x = y[:, :, 1:]
        x = _per_frame(self.resample, x)
        if self.mode == "downsample3d":
            x = self.time_conv(x)
        return x


class Encoder3d(nn.Module):
    def __init__(self, dim, z_dim, dim_mult, num_res_blocks, temporal_downsample):
        super().__init__()
        dims = [dim * u for u in [1] + dim_mult]
        self.conv1 = CausalConv3d(3, dims[0], 3, padding=1)
        layers = []
        for i, (c_in, c_out) in enumerate(zip(dims[:-1], dims[1:])):
            for _ in range(num_res_blocks):
                layers.append(ResidualBlock(c_in, c_out))
                c_in = c_out
            if i != len(dim_mult) - 1:
                mode = "downsample3d" if temporal_downsample[i] else "downsample2d"
                layers.append(Resample(c_out, c_out, mode))
        self.downsamples = nn.Sequential(*layers)
        self.middle = nn.Sequential(ResidualBlock(dims[-1], dims[-1]), nn.Identity(),
                                    ResidualBlock(dims[-1], dims[-1]))
        self.head = nn.Sequential(RMSNorm(dims[-1]), nn.SiLU(),
                                  CausalConv3d(dims[-1], z_dim, 3, padding=1))

    def forward(self, x):
        return self.head(self.middle(self.downsamples(self.conv1(x))))


class Decoder3d(nn.Module):
    def __init__(self, dim, z_dim, dim_mult, num_res_blocks, temporal_upsample):
        super().__init__()
        dims = [dim * u for u in [dim_mult[-1]] + dim_mult[::-1]]
        self.conv1 = CausalConv3d(z_dim, dims[0], 3, padding=1)
        self.middle = nn.Sequential(ResidualBlock(dims[0], dims[0]), nn.Identity(),
                                    ResidualBlock(dims[0], dims[0]))
        layers = []
        for i, (c_in, c_out) in enumerate(zip(dims[:-1], dims[1:])):
            if i in (1, 2, 3):
                c_in = c_in // 2
            for _ in range(num_res_blocks + 1):
                layers.append(ResidualBlock(c_in, c_out))
                c_in = c_out
            if i != len(dim_mult) - 1:
                mode = "upsample3d" if temporal_upsample[i] else "upsample2d"
                layers.append(Resample(c_out, c_out // 2, mode))
        self.upsamples = nn.Sequential(*layers)
        self.head = nn.Sequential(RMSNorm(dims[-1]), nn.SiLU(),
                                  CausalConv3d(dims[-1], 3, 3, padding=1))

    def forward(self, z):
        return self.head(self.upsamples(self.middle(self.conv1(z))))


class WanVAE(nn.Module):
    def __init__(self, dim=16, z_dim=16, dim_mult=(1, 2, 4, 4), num_res_blocks=1,
                 temporal_downsample=(False, True, True)):
        super().__init__()
        dim_mult = list(dim_mult)
        temporal_downsample = list(temporal_downsample)
        self.config = dict(dim=dim, z_dim=z_dim, dim_mult=dim_mult, num_res_blocks=num_res_blocks,
                           temporal_downsample=temporal_downsample, eps=1e-6)
        self.z_dim = z_dim
        self.encoder = Encoder3d(dim, z_dim * 2, dim_mult, num_res_blocks, temporal_downsample)
        self.conv1 = CausalConv3d(z_dim * 2, z_dim * 2, 1)
        self.conv2 = CausalConv3d(z_dim, z_dim, 1)
        self.decoder = Decoder3d(dim, z_dim, dim_mult, num_res_blocks, temporal_downsample[::-1])
        # Start with a small posterior noise (std e^-4): with logvar ≈ 0 the sampled latent is
        # mostly noise and the decoder learns nothing until the encoder has shrunk it.
        with torch.no_grad():
            self.conv1.bias[z_dim:].fill_(-8.0)
        self.register_buffer("latent_mean", torch.zeros(z_dim))
        self.register_buffer("latent_std", torch.ones(z_dim))

    def encode(self, x):
        """x [B, 3, 1+4k, H, W] in [−1, 1] → (mu, logvar), each [B, z, 1+k, H/8, W/8]."""
        mu, logvar = self.conv1(self.encoder(x)).chunk(2, dim=1)
        return mu, logvar

    def decode(self, z):
        """z [B, z, 1+k, h, w] (un-normalised) → [B, 3, 1+4k, 8h, 8w], clamped to [−1, 1]."""
        return torch.clamp(self.decoder(self.conv2(z)), -1.0, 1.0)

    def decode_raw(self, z):
        return self.decoder(self.conv2(z))

    def normalize(self, mu):
        return (mu - self.latent_mean.view(1, -1, 1, 1, 1)) / self.latent_std.view(1, -1, 1, 1, 1)

    def denormalize(self, z):
        return z * self.latent_std.view(1, -1, 1, 1, 1) + self.latent_mean.view(1, -1, 1, 1, 1)
