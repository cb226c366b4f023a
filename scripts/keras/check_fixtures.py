#!/usr/bin/env python3
"""Cross-check the fixtures with an independent float64 numpy interpreter of the spec.

Reads only the fixture JSON (spec, weights, inputs) -- no Keras -- recomputes the outputs
and compares them with what Keras wrote. This proves each fixture is self-consistent
(weights and inputs written are the ones Keras used, in the documented layout) and
documents the semantics (mask, go_backwards, merge modes, padding) in plain numpy.

    python3 scripts/keras/check_fixtures.py [test/fixtures/keras]   # needs only numpy
"""

import glob
import json
import math
import os
import sys

import numpy as np

# ------------------------------------------------------------ activations (Keras 3)


def _sig(x):
    return 1.0 / (1.0 + np.exp(-x))


def _softplus(x):
    return np.logaddexp(0.0, x)


_erf = np.vectorize(math.erf)

ACT = {
    None: lambda x: x,
    "linear": lambda x: x,
    "tanh": np.tanh,
    "sigmoid": _sig,
    "hard_sigmoid": lambda x: np.clip(x + 3.0, 0.0, 6.0) / 6.0,
    "hard_sigmoid_keras2": lambda x: np.clip(0.2 * x + 0.5, 0.0, 1.0),
    "relu": lambda x: np.maximum(x, 0.0),
    "relu6": lambda x: np.clip(x, 0.0, 6.0),
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0.0))),
    "selu": lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * np.expm1(np.minimum(x, 0.0))),
    "softplus": _softplus,
    "softsign": lambda x: x / (1.0 + np.abs(x)),
    "silu": lambda x: x * _sig(x),
    "hard_silu": lambda x: x * np.clip(x + 3.0, 0.0, 6.0) / 6.0,
    "gelu": lambda x: 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0))),
    "exponential": np.exp,
    "leaky_relu": lambda x: np.where(x > 0, x, 0.2 * x),
    "mish": lambda x: x * np.tanh(_softplus(x)),
    "softmax": lambda x: np.exp(x - x.max(-1, keepdims=True)) / np.exp(x - x.max(-1, keepdims=True)).sum(-1, keepdims=True),
}

# ------------------------------------------------------------ recurrent cells


def lstm_step(d, w, x, st):
    h, c = st
    act, ract = ACT[d.get("activation", "tanh")], ACT[d.get("recurrent_activation", "sigmoid")]
    z = x @ w["kernel"] + h @ w["recurrent_kernel"]
    if d.get("use_bias", True):
        z = z + w["bias"]
    i, f, cc, o = np.split(z, 4, axis=-1)
    c = ract(f) * c + ract(i) * act(cc)
    h = ract(o) * act(c)
    return h, [h, c]


def gru_step(d, w, x, st):
    (h,) = st
    u = d["units"]
    act, ract = ACT[d.get("activation", "tanh")], ACT[d.get("recurrent_activation", "sigmoid")]
    K, U = w["kernel"], w["recurrent_kernel"]
    bias = d.get("use_bias", True)
    if d.get("reset_after", True):
        xb = x @ K + (w["bias"][0] if bias else 0.0)
        hb = h @ U + (w["bias"][1] if bias else 0.0)
        z = ract(xb[:, :u] + hb[:, :u])
        r = ract(xb[:, u:2 * u] + hb[:, u:2 * u])
        hh = act(xb[:, 2 * u:] + r * hb[:, 2 * u:])
    else:
        xb = x @ K + (w["bias"] if bias else 0.0)
        z = ract(xb[:, :u] + h @ U[:, :u])
        r = ract(xb[:, u:2 * u] + h @ U[:, u:2 * u])
        hh = act(xb[:, 2 * u:] + (r * h) @ U[:, 2 * u:])
    h = z * h + (1.0 - z) * hh
    return h, [h]


def simple_step(d, w, x, st):
    (h,) = st
    y = x @ w["kernel"] + h @ w["recurrent_kernel"]
    if d.get("use_bias", True):
        y = y + w["bias"]
    h = ACT[d.get("activation", "tanh")](y)
    return h, [h]


STEP = {"LSTM": lstm_step, "GRU": gru_step, "SimpleRNN": simple_step}


def run_rnn(d, w, x, mask, init, state_store=None):
    """Keras 3 RNN semantics (jax backend). Returns (list of outputs, mask out)."""
    B, T = x.shape[0], x.shape[1]
    n_st = 2 if d["type"] == "LSTM" else 1
    if init is not None:
        st = [np.asarray(s, dtype=np.float64) for s in init]
    elif state_store is not None and state_store.get("st") is not None:
        st = state_store["st"]
    else:
        st = [np.zeros((B, d["units"])) for _ in range(n_st)]
    order = list(range(T))[::-1] if d.get("go_backwards") else list(range(T))
    outs = []
    prev_out = np.zeros((B, d["units"]))
    for t in order:
        y, new = STEP[d["type"]](d, w, x[:, t], st)
        if mask is not None:
            m = mask[:, t][:, None]
            if d.get("unroll"):
                y = np.where(m, y, prev_out)  # unrolled: previous output (zeros at first)
            elif d.get("zero_output_for_mask"):
                y = np.where(m, y, 0.0)
            else:
                y = np.where(m, y, st[0])  # scan: previous h (initial state at first)
            new = [np.where(m, n, s) for n, s in zip(new, st)]
        st = new
        prev_out = y
        outs.append(y)
    if state_store is not None:
        state_store["st"] = st
    out = np.stack(outs, axis=1) if d.get("return_sequences") else outs[-1]
    res = [out] + (list(st) if d.get("return_state") else [])
    return res, (mask if d.get("return_sequences") else None)


# ------------------------------------------------------------ other layers


def conv1d(d, w, x):
    k = d["kernel_size"] if isinstance(d["kernel_size"], int) else d["kernel_size"][0]
    s = d.get("strides", 1)
    s = s if isinstance(s, int) else s[0]
    dil = d.get("dilation_rate", 1)
    dil = dil if isinstance(dil, int) else dil[0]
    g = d.get("groups", 1)
    pad = d.get("padding", "valid")
    L = x.shape[1]
    span = (k - 1) * dil + 1
    if pad == "causal":
        x = np.pad(x, ((0, 0), (span - 1, 0), (0, 0)))
    elif pad == "same":
        out_len = -(-L // s)
        total = max((out_len - 1) * s + span - L, 0)
        x = np.pad(x, ((0, 0), (total // 2, total - total // 2), (0, 0)))
    Lp = x.shape[1]
    n_out = (Lp - span) // s + 1
    K = w["kernel"]  # (k, in/g, filters)
    cin_g, F = K.shape[1], K.shape[2]
    fg = F // g
    y = np.zeros((x.shape[0], n_out, F))
    for o in range(n_out):
        for gi in range(g):
            for j in range(k):
                xs = x[:, o * s + j * dil, gi * cin_g:(gi + 1) * cin_g]
                y[:, o, gi * fg:(gi + 1) * fg] += xs @ K[j, :, gi * fg:(gi + 1) * fg]
    if d.get("use_bias", True):
        y = y + w["bias"]
    return ACT[d.get("activation")](y)


def _one(v, default):
    v = default if v is None else v
    return v if isinstance(v, int) else v[0]


def window_conv(x, K, s, dil, pad):
    """out[b, o, :] = sum_j x[b, o*s - left + j*dil, :] @ K[j] (zeros outside): K (k, in, out); padding valid or same."""
    k = K.shape[0]
    L = x.shape[1]
    span = (k - 1) * dil + 1
    if pad == "same":
        n_out = -(-L // s)
        total = max((n_out - 1) * s + span - L, 0)
        x = np.pad(x, ((0, 0), (total // 2, total - total // 2), (0, 0)))
    else:
        n_out = (L - span) // s + 1
    taps = np.arange(k) * dil
    win = np.stack([x[:, o * s + taps] for o in range(n_out)], 1)  # (B, n_out, k, in)
    return np.einsum("bokc,kcf->bof", win, K)


def conv1d_transpose(d, w, x):
    """JAX's way: the input dilated by strides, padded (left, right), convolved with the flipped kernel."""
    k, s, dil = _one(d["kernel_size"], 1), _one(d.get("strides"), 1), _one(d.get("dilation_rate"), 1)
    op = d.get("output_padding")
    op = None if op is None else _one(op, 0)
    span = (k - 1) * dil + 1
    if d.get("padding", "valid") == "valid":
        left, right = span - 1, span - 1 + (max(span, s) - span if op is None else op)
    else:
        total = s + span - 2 if op is None else span + span % 2 - 2 + op
        left = min(total // 2 + total % 2, span - 1)
        right = total - left
    B, L, C = x.shape
    xd = np.zeros((B, (L - 1) * s + 1, C))
    xd[:, ::s] = x
    xp = np.pad(xd, ((0, 0), (left, right), (0, 0)))
    flipped = np.transpose(w["kernel"][::-1], (0, 2, 1))  # (k, in, filters)
    y = window_conv(xp, flipped, 1, dil, "valid")
    if d.get("use_bias", True):
        y = y + w["bias"]
    return ACT[d.get("activation")](y)


def depthwise(d, x, K):
    """Each channel c with its own K[:, c, :] filters: output channel c*m + j."""
    s, dil, pad = _one(d.get("strides"), 1), _one(d.get("dilation_rate"), 1), d.get("padding", "valid")
    k, C, m = K.shape
    outs = [window_conv(x[:, :, c:c + 1], K[:, c:c + 1, :], s, dil, pad) for c in range(C)]
    return np.concatenate(outs, -1)


def depthwise_conv1d(d, w, x):
    y = depthwise(d, x, w["kernel"])
    if d.get("use_bias", True):
        y = y + w["bias"]
    return ACT[d.get("activation")](y)


def separable_conv1d(d, w, x):
    y = depthwise(d, x, w["depthwise_kernel"]) @ w["pointwise_kernel"][0]
    if d.get("use_bias", True):
        y = y + w["bias"]
    return ACT[d.get("activation")](y)


def _pair(v, default):
    v = default if v is None else v
    return (v, v) if isinstance(v, int) else tuple(v)


def window_conv2d(x, K, s, dil, pad):
    """The 2-D window_conv, (B, H, W, in) with K (kh, kw, in, out): one axis at a time, rows then columns."""
    kh, kw = K.shape[0], K.shape[1]
    out = None
    for i in range(kh):
        # the row taps i: a 1-D convolution along the columns of the rows that tap i reads
        rows = _rows_of(x, kh, i, s[0], dil[0], pad)
        B, Ho, W, C = rows.shape
        y = window_conv(rows.reshape(B * Ho, W, C), K[i], s[1], dil[1], pad).reshape(B, Ho, -1, K.shape[3])
        out = y if out is None else out + y
    return out


def _rows_of(x, k, i, s, dil, pad):
    """x[:, o*s - top + i*dil] for every output row o (zeros outside), as padding valid or same gives."""
    H = x.shape[1]
    span = (k - 1) * dil + 1
    if pad == "same":
        n_out = -(-H // s)
        top = max((n_out - 1) * s + span - H, 0) // 2
    else:
        n_out, top = (H - span) // s + 1, 0
    zero = np.zeros_like(x[:, 0])
    return np.stack([x[:, r] if 0 <= (r := o * s - top + i * dil) < H else zero for o in range(n_out)], 1)


def conv_lstm(d, w, x, state_store=None):
    """Keras's ConvLSTM1D/2D: the input convolution (strides, padding, dilation), the recurrent one same with strides 1."""
    B, T = x.shape[0], x.shape[1]
    pad = d.get("padding", "valid")
    act, ract = ACT[d.get("activation", "tanh")], ACT[d.get("recurrent_activation", "sigmoid")]
    if d["type"] == "ConvLSTM1D":
        s, dil = _one(d.get("strides"), 1), _one(d.get("dilation_rate"), 1)
        X = window_conv(x.reshape((B * T,) + x.shape[2:]), w["kernel"], s, dil, pad)
        recurrent = lambda h: window_conv(h, w["recurrent_kernel"], 1, 1, "same")  # noqa: E731
    else:
        s, dil = _pair(d.get("strides"), 1), _pair(d.get("dilation_rate"), 1)
        X = window_conv2d(x.reshape((B * T,) + x.shape[2:]), w["kernel"], s, dil, pad)
        recurrent = lambda h: window_conv2d(h, w["recurrent_kernel"], (1, 1), (1, 1), "same")  # noqa: E731
    X = X.reshape((B, T) + X.shape[1:]) + (w["bias"] if d.get("use_bias", True) else 0.0)
    F = d["filters"]
    st = state_store.get("st") if state_store is not None else None
    h, c = st if st is not None else (np.zeros(X.shape[:1] + X.shape[2:-1] + (F,)), np.zeros(X.shape[:1] + X.shape[2:-1] + (F,)))
    outs = []
    for t in (range(T)[::-1] if d.get("go_backwards") else range(T)):
        z = X[:, t] + recurrent(h)
        i, f, cc, o = np.split(z, 4, axis=-1)
        c = ract(f) * c + ract(i) * act(cc)
        h = ract(o) * act(c)
        outs.append(h)
    if state_store is not None:
        state_store["st"] = (h, c)
    out = np.stack(outs, 1) if d.get("return_sequences") else outs[-1]
    return [out] + ([h, c] if d.get("return_state") else [])


def time_distributed(d, w, x, states):
    """The inner layer on every timestep; a stateful recurrent one timestep after another (Keras's loop)."""
    inner = dict(d["layer"], name=d["name"])
    B, T = x.shape[0], x.shape[1]
    if inner.get("stateful"):
        ys = [apply(inner, w, [x[:, t]], None, None, states)[0][0] for t in range(T)]
        return np.stack(ys, 1)
    y = apply(inner, w, [x.reshape((B * T,) + x.shape[2:])], None, None, {})[0][0]
    return y.reshape((B, T) + y.shape[1:])


def pool1d(d, x, kind):
    p = d.get("pool_size", 2)
    p = p if isinstance(p, int) else p[0]
    s = d.get("strides") or p
    s = s if isinstance(s, int) else s[0]
    L = x.shape[1]
    if d.get("padding", "valid") == "same":
        n_out = -(-L // s)
        total = max((n_out - 1) * s + p - L, 0)
        left = total // 2
    else:
        n_out = (L - p) // s + 1
        left = 0
    outs = []
    for o in range(n_out):
        a, b = max(o * s - left, 0), min(o * s - left + p, L)
        win = x[:, a:b]
        outs.append(win.max(1) if kind == "max" else win.mean(1))
    return np.stack(outs, 1)


def _pair(v, default):
    v = default if v is None else v
    return (v, v) if isinstance(v, int) else tuple(v)


def _same_pads(L, k, s):
    """XLA/TF SAME: total max((ceil(L/s) - 1)·s + k - L, 0), the odd one after."""
    total = max((-(-L // s) - 1) * s + k - L, 0)
    return total // 2, total - total // 2


def conv2d(d, w, x):
    (kh, kw), (sh, sw), (dh, dw) = _pair(d["kernel_size"], 1), _pair(d.get("strides"), 1), _pair(d.get("dilation_rate"), 1)
    g = d.get("groups", 1)
    if d.get("padding", "valid") == "same":
        (t, b), (l, r) = _same_pads(x.shape[1], (kh - 1) * dh + 1, sh), _same_pads(x.shape[2], (kw - 1) * dw + 1, sw)
        x = np.pad(x, ((0, 0), (t, b), (l, r), (0, 0)))
    H, W = x.shape[1], x.shape[2]
    oh, ow = (H - (kh - 1) * dh - 1) // sh + 1, (W - (kw - 1) * dw - 1) // sw + 1
    K = w["kernel"]  # (kh, kw, in/g, filters)
    cg, F = K.shape[2], K.shape[3]
    fg = F // g
    y = np.zeros((x.shape[0], oh, ow, F))
    for i in range(kh):
        for j in range(kw):
            patch = x[:, i * dh:i * dh + (oh - 1) * sh + 1:sh, j * dw:j * dw + (ow - 1) * sw + 1:sw]
            for gi in range(g):
                y[..., gi * fg:(gi + 1) * fg] += patch[..., gi * cg:(gi + 1) * cg] @ K[i, j, :, gi * fg:(gi + 1) * fg]
    if d.get("use_bias", True):
        y = y + w["bias"]
    return ACT[d.get("activation")](y)


def pool2d(d, x, kind):
    (ph, pw) = _pair(d.get("pool_size"), 2)
    (sh, sw) = _pair(d.get("strides"), None) if d.get("strides") is not None else (ph, pw)
    H, W = x.shape[1], x.shape[2]
    if d.get("padding", "valid") == "same":
        (t, _), (l, _) = _same_pads(H, ph, sh), _same_pads(W, pw, sw)
        oh, ow = -(-H // sh), -(-W // sw)
    else:
        t = l = 0
        oh, ow = (H - ph) // sh + 1, (W - pw) // sw + 1
    y = np.zeros((x.shape[0], oh, ow, x.shape[3]))
    for a in range(oh):
        for b in range(ow):
            win = x[:, max(a * sh - t, 0):min(a * sh - t + ph, H), max(b * sw - l, 0):min(b * sw - l + pw, W)]
            y[:, a, b] = win.max((1, 2)) if kind == "max" else win.mean((1, 2))
    return y


def sides(v, default):
    v = default if v is None else v
    if isinstance(v, int):
        return ((v, v), (v, v))
    return tuple((e, e) if isinstance(e, int) else tuple(e) for e in v)


def resize_bilinear(x, oh, ow):
    """jax.image.resize bilinear for upsampling: half-pixel centres, clamped at the edges."""
    def taps(o, n, on):
        at = np.clip((np.arange(on) + 0.5) * n / on - 0.5, 0, n - 1)
        lo = np.floor(at).astype(int)
        return lo, np.minimum(lo + 1, n - 1), at - lo
    y0, y1, fy = taps(None, x.shape[1], oh)
    x0, x1, fx = taps(None, x.shape[2], ow)
    rows = x[:, y0] * (1 - fy)[None, :, None, None] + x[:, y1] * fy[None, :, None, None]
    return rows[:, :, x0] * (1 - fx)[None, None, :, None] + rows[:, :, x1] * fx[None, None, :, None]


def image_layer(d, w, x):
    """The 2-D layers on (batch, rows, cols, channels); None when d is not one."""
    t = d["type"]
    if t == "Conv2D":
        return conv2d(d, w, x)
    if t in ("MaxPooling2D", "AveragePooling2D"):
        return pool2d(d, x, "max" if t == "MaxPooling2D" else "avg")
    if t in ("GlobalMaxPooling2D", "GlobalAveragePooling2D"):
        y = x.max((1, 2)) if t == "GlobalMaxPooling2D" else x.mean((1, 2))
        return y[:, None, None] if d.get("keepdims") else y
    if t == "ZeroPadding2D":
        (a, b), (c, e) = sides(d.get("padding"), 1)
        return np.pad(x, ((0, 0), (a, b), (c, e), (0, 0)))
    if t == "Cropping2D":
        (a, b), (c, e) = sides(d.get("cropping"), 0)
        return x[:, a:x.shape[1] - b, c:x.shape[2] - e]
    if t == "UpSampling2D":
        sy, sx = _pair(d.get("size"), 2)
        if d.get("interpolation", "nearest") == "bilinear":
            return resize_bilinear(x, x.shape[1] * sy, x.shape[2] * sx)
        return np.repeat(np.repeat(x, sy, 1), sx, 2)
    if t == "Flatten":
        return x.reshape(x.shape[0], -1)
    if t == "Reshape":
        return x.reshape((x.shape[0],) + tuple(d["target_shape"]))
    return None


def dense(d, w, x):
    y = x @ w["kernel"]
    if d.get("use_bias", True):
        y = y + w["bias"]
    return ACT[d.get("activation")](y)


def apply(d, w, xs, mask, init, states):
    """Returns (list of outputs, output mask)."""
    t = d["type"]
    x = xs[0]
    if t in STEP:
        return run_rnn(d, w, x, mask, init, states.setdefault(d.get("name"), {}) if d.get("stateful") else None)
    if t == "Bidirectional":
        # Keras's Bidirectional forces zero_output_for_mask = return_sequences on both layers
        inner = dict(d["layer"], zero_output_for_mask=d["layer"].get("return_sequences", False))
        bwd = dict(d.get("backward_layer") or dict(inner, go_backwards=True))
        bwd["zero_output_for_mask"] = bwd.get("return_sequences", False)
        half = None if init is None else len(init) // 2
        f, _ = run_rnn(inner, w["forward"], x, mask, None if init is None else init[:half])
        b, _ = run_rnn(bwd, w["backward"], x, mask, None if init is None else init[half:])
        yf, yb = f[0], b[0]
        if inner.get("return_sequences"):
            yb = yb[:, ::-1]
        mm = d.get("merge_mode", "concat")
        if mm is None:
            out = [yf, yb]
        else:
            out = [{"concat": lambda: np.concatenate([yf, yb], -1), "sum": lambda: yf + yb,
                    "ave": lambda: (yf + yb) / 2, "mul": lambda: yf * yb}[mm]()]
        return out + f[1:] + b[1:], (mask if inner.get("return_sequences") else None)
    if t == "Dense":
        return [dense(d, w, x)], mask
    if t == "TimeDistributed":
        return [time_distributed(d, w, x, states)], mask
    image = image_layer(d, w, x) if x.ndim == 4 else None
    if image is not None:
        return [image], None
    if t == "Conv1DTranspose":
        return [conv1d_transpose(d, w, x)], None
    if t == "DepthwiseConv1D":
        return [depthwise_conv1d(d, w, x)], None
    if t == "SeparableConv1D":
        return [separable_conv1d(d, w, x)], None
    if t in ("ConvLSTM1D", "ConvLSTM2D"):
        return conv_lstm(d, w, x, states.setdefault(d.get("name"), {}) if d.get("stateful") else None), None
    if t == "Conv1D":
        return [conv1d(d, w, x)], None
    if t == "Embedding":
        xi = x.astype(int)
        return [w["embeddings"][xi]], ((xi != 0) if d.get("mask_zero") else None)
    if t == "Masking":
        m = np.any(x != d.get("mask_value", 0.0), axis=-1)
        return [x * m[..., None]], m
    if t == "RepeatVector":
        return [np.repeat(x[:, None], d["n"], 1)], None
    if t == "Flatten":
        return [x.reshape(x.shape[0], -1)], None
    if t == "Reshape":
        return [x.reshape((x.shape[0],) + tuple(d["target_shape"]))], None
    if t == "Permute":
        return [np.transpose(x, [0] + list(d["dims"]))], None
    if t == "Concatenate":
        return [np.concatenate(xs, axis=d.get("axis", -1))], None
    if t == "Add":
        return [sum(xs)], None
    if t == "Average":
        return [sum(xs) / len(xs)], None
    if t == "MaxPooling1D":
        return [pool1d(d, x, "max")], None
    if t == "AveragePooling1D":
        return [pool1d(d, x, "avg")], None
    if t == "GlobalMaxPooling1D":
        return [x.max(1)], None
    if t == "GlobalAveragePooling1D":
        if mask is None:
            return [x.mean(1)], None
        m = mask[..., None].astype(np.float64)
        return [(x * m).sum(1) / m.sum(1)], None
    if t == "LayerNormalization":
        eps = d.get("epsilon", 1e-3)
        mu, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
        return [(x - mu) / np.sqrt(var + eps) * w["gamma"] + w["beta"]], mask
    if t == "BatchNormalization":
        eps = d.get("epsilon", 1e-3)
        return [(x - w["moving_mean"]) / np.sqrt(w["moving_variance"] + eps) * w["gamma"] + w["beta"]], mask
    if t == "Dropout":
        return [x], mask
    if t == "Activation":
        return [ACT[d["activation"]](x)], mask
    raise NotImplementedError(t)


def multi_head_attention(d, w, xs, masks):
    """Keras's MultiHeadAttention on (batch, steps, features): per-head projections, masked softmax, output projection."""
    attention_mask = xs[-1] if len(xs) > 2 and xs[-1].dtype == bool else None
    tensors = xs[:-1] if attention_mask is not None else xs
    q, v = tensors[0], tensors[1]
    k = tensors[2] if len(tensors) > 2 else v

    def project(x, p):
        y = np.einsum("btf,f...->bt...", x, w[p]["kernel"])
        return y + w[p]["bias"] if "bias" in w[p] else y

    Q, K, V = project(q, "query"), project(k, "key"), project(v, "value")  # (b, t, heads, dim)
    scores = np.einsum("btnh,bsnh->bnts", Q / math.sqrt(d["key_dim"]), K)
    B, T, S = q.shape[0], q.shape[1], v.shape[1]
    keep = np.ones((B, 1, T, S), dtype=bool)
    if d.get("use_causal_mask"):
        keep &= np.tril(np.ones((T, S), dtype=bool))[None, None]
    for m, axis in ((masks[0], 3), (masks[1], 2), (masks[2] if len(tensors) > 2 else None, 2)):
        if m is not None:
            keep &= np.expand_dims(np.expand_dims(m, 1), axis)
    if d.get("sliding_window") is not None:
        keep &= (np.abs(np.arange(T)[:, None] - np.arange(S)[None, :]) < d["sliding_window"])[None, None]
    if attention_mask is not None:
        keep &= attention_mask[:, None]
    keep = np.broadcast_to(keep, scores.shape)
    largest = np.where(keep, scores, -np.inf).max(-1, keepdims=True)
    e = np.where(keep, np.exp(scores - np.where(np.isfinite(largest), largest, 0.0)), 0.0)
    total = e.sum(-1, keepdims=True)
    # A row hidden entirely: Keras's Softmax layer (scores returned, or dropout > 0) gives zeros,
    # its ops.dot_product_attention (otherwise) uniform weights.
    hidden = 0.0 if d.get("return_attention_scores") or d.get("dropout", 0) > 0 else 1.0 / S
    weights = np.where(total > 0, e / np.where(total > 0, total, 1.0), hidden)
    context = np.einsum("bnts,bsnh->btnh", weights, V)
    if d.get("use_gate"):
        context = context / (1.0 + np.exp(-project(q, "gate")))
    out = np.einsum("btnh,nh...->bt...", context, w["attention_output"]["kernel"])
    if "bias" in w["attention_output"]:
        out = out + w["attention_output"]["bias"]
    return ([out, weights] if d.get("return_attention_scores") else [out]), masks[0]


def out_names(d, n):
    t = d["type"]
    if t in STEP or t in ("ConvLSTM1D", "ConvLSTM2D"):
        return ["output"] if n == 1 else (["output", "h", "c"] if t in ("LSTM", "ConvLSTM1D", "ConvLSTM2D") else ["output", "h"])
    if t == "Bidirectional":
        inner = d["layer"]
        seq = ["forward", "backward"] if ("merge_mode" in d and d["merge_mode"] is None) else ["output"]
        per = (["h", "c"] if inner["type"] == "LSTM" else ["h"]) if inner.get("return_state") else []
        return seq + [f"forward_{s}" for s in per] + [f"backward_{s}" for s in per]
    if t == "MultiHeadAttention" and d.get("return_attention_scores"):
        return ["output", "scores"]
    return ["output"]


def to_w(t):
    if isinstance(t, dict):
        return {k: to_w(v) for k, v in t.items()}
    return np.asarray(t, dtype=np.float64)


def forward(spec, weights, inputs, states):
    env, masks = {}, {}
    for k in spec["inputs"]:
        dt = spec["inputs"][k].get("dtype", "float32")
        env[k] = np.asarray(inputs[k], dtype={"float32": np.float64, "int32": np.int64, "bool": bool}[dt])
        masks[k] = None
    prev = next(iter(spec["inputs"])) if len(spec["inputs"]) == 1 else None
    owners = {}  # entry name -> the spec of the layer whose weights it uses (`shares`)
    for d in spec["layers"]:
        owner = owners[d["shares"]] if "shares" in d else d
        owners[d["name"]] = owner
        if "shares" in d:  # the owner's type, options and weights, this entry's wiring and name
            d = {**{k: v for k, v in owner.items() if k not in ("input", "inputs", "initial_state", "mask")}, **d}
        refs = d.get("inputs") or [d.get("input") or prev]
        xs = [env[r] for r in refs]
        mask = env[d["mask"]] if "mask" in d else masks.get(refs[0])
        init = [env[r] for r in d["initial_state"]] if "initial_state" in d else None
        if d["type"] == "MultiHeadAttention":
            outs, m = multi_head_attention(d, to_w(weights[owner["name"]]), xs, [masks.get(r) for r in refs])
        else:
            outs, m = apply(d, to_w(weights.get(owner["name"], {})), xs, mask, init, states)
        for n, o in zip(out_names(d, len(outs)), outs):
            env[f"{d['name']}.{n}"] = o
            masks[f"{d['name']}.{n}"] = m
        env[d["name"]] = outs[0]
        masks[d["name"]] = m
        prev = d["name"]
    o = spec.get("outputs")
    if o is None:
        return {prev: env[prev]}
    if isinstance(o, dict):
        return {k: env[v] for k, v in o.items()}
    return {r.replace(".", "_"): env[r] for r in o}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "test", "fixtures", "keras")
    worst, bad, skipped = 0.0, [], []
    files = sorted(glob.glob(os.path.join(d, "*.json")))
    n = 0
    for f in files:
        fx = json.load(open(f))
        if "spec" not in fx:
            continue
        n += 1
        calls = fx["calls"] if "calls" in fx else [{"inputs": fx["inputs"], "outputs": fx["outputs"]}]
        states = {}
        err = 0.0
        for c in calls:
            if c == "reset_states":
                states = {}
                continue
            try:
                got = forward(fx["spec"], fx["weights"], c["inputs"], states)
            except NotImplementedError as kind:  # a layer kind this interpreter does not cover
                skipped.append((os.path.basename(f), str(kind)))
                break
            assert set(got) == set(c["outputs"]), (f, set(got), set(c["outputs"]))
            for k, v in got.items():
                ref = np.asarray(c["outputs"][k])
                assert ref.shape == v.shape, (f, k, ref.shape, v.shape)
                err = max(err, float(np.max(np.abs(ref - v) / (1.0 + np.abs(ref)))))
        worst = max(worst, err)
        if err > 2e-5:
            bad.append((os.path.basename(f), err))
    print(f"{n - len(skipped)} fixtures checked, worst relative error {worst:.2e}")
    if skipped:
        print(f"{len(skipped)} skipped, with layer kinds not covered here:", ", ".join(sorted({k for _, k in skipped})))
    for b in bad:
        print("MISMATCH", *b)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
