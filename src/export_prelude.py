# export_prelude.py - the helper functions an exported script may need,
# one per block; `graphviz-lab export --torch` copies into a script only
# the blocks its ops use (src/export_torch.c reads them by their def line).
# They give PyTorch the language's shapes: transpose and vec for any rank,
# hom and dehom, and conv2d and the pools for 2-D and 3-D inputs.


def transpose(a):
    """a^T: the last two dimensions swapped; a vector or a scalar as it is
    (a copy, so that the node keeps a gradient of its own)."""
    return a.transpose(-2, -1) if a.dim() >= 2 else a.clone()


def vec(a):
    """The columns stacked (column-major), as a [numel, 1] column."""
    return a.permute(*reversed(range(a.dim()))).reshape(-1, 1)


def hom(a):
    """Homogeneous coordinates: a 1 after a vector, a row of ones under a matrix."""
    if a.dim() == 1:
        return torch.cat([a, torch.ones(1)])
    return torch.cat([a, torch.ones(1, a.shape[1])], dim=0)


def dehom(a):
    """Each column divided by its last entry, which is dropped."""
    if a.dim() == 1:
        return a[:-1] / a[-1]
    return a[:-1] / a[-1:]


def as4d(x):
    """[H,W] and [C,H,W] as the [N,C,H,W] that F.conv2d and the pools take."""
    return {2: x[None, None], 3: x[None], 4: x}[x.dim()]


def from4d(y, rank):
    """The inverse of as4d for a result of RANK dimensions."""
    return {2: y[0, 0], 3: y[0], 4: y}[rank]


def conv2d(x, w, stride, padding, dilation):
    """F.conv2d of x [H,W], [C,H,W] or [N,C,H,W] with w [kh,kw] or [O,C,kh,kw]."""
    w4 = w[None, None] if w.dim() == 2 else w
    return from4d(F.conv2d(as4d(x), w4, stride=stride, padding=padding, dilation=dilation), x.dim())


def maxpool2d(x, kernel_size, stride, padding):
    """F.max_pool2d over the last two dimensions."""
    return from4d(F.max_pool2d(as4d(x), kernel_size, stride=stride, padding=padding), x.dim())


def avgpool2d(x, kernel_size, stride, padding):
    """F.avg_pool2d over the last two dimensions (padding counts in the mean)."""
    return from4d(F.avg_pool2d(as4d(x), kernel_size, stride=stride, padding=padding), x.dim())


def cross_entropy(z, c):
    """F.cross_entropy (mean over the batch) of logits z, [C], [1,C] or [N,C],
    and classes c: a number or a label of class indices (a long tensor)."""
    c = torch.as_tensor(c).detach().long()
    if z.dim() == 2 and c.dim() == 0:
        c = c.reshape(1)
    return F.cross_entropy(z, c)
