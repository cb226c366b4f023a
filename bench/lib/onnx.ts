// A minimal ONNX protobuf encoder (hand-written varints, no dependency) and the LSTM + Dense
// graph the bench feeds to onnxruntime. Field numbers are onnx.proto's (IR version 8):
//   ModelProto: ir_version 1, producer_name 2, graph 7, opset_import 8
//   OperatorSetIdProto: domain 1, version 2
//   GraphProto: node 1, name 2, initializer 5, input 11, output 12
//   NodeProto: input 1, output 2, name 3, op_type 4, attribute 5
//   AttributeProto: name 1, f 2, i 3, s 4, ints 8, type 20 (FLOAT 1, INT 2, STRING 3, INTS 7)
//   TensorProto: dims 1, data_type 2 (FLOAT = 1), name 8, raw_data 9 (little-endian)
//   ValueInfoProto: name 1, type 2; TypeProto: tensor_type 1; TypeProto.Tensor: elem_type 1, shape 2
//   TensorShapeProto: dim 1; Dimension: dim_value 1

class Writer {
  private chunks: number[] = [];
  private bytesOut: Uint8Array[] = [];
  private flushBytes(): void {
    if (this.chunks.length > 0) {
      this.bytesOut.push(Uint8Array.from(this.chunks));
      this.chunks = [];
    }
  }
  varint(value: number): this {
    // non-negative integers below 2^53 only (enough for dims, enums and lengths)
    if (value < 0 || !Number.isSafeInteger(value)) throw new RangeError(`varint ${value}`);
    let v = value;
    while (v >= 0x80) {
      this.chunks.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.chunks.push(v);
    return this;
  }
  tag(field: number, wire: 0 | 1 | 2 | 5): this {
    return this.varint(field * 8 + wire);
  }
  bytes(field: number, data: Uint8Array): this {
    this.tag(field, 2).varint(data.length);
    this.flushBytes();
    this.bytesOut.push(data);
    return this;
  }
  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }
  message(field: number, build: (w: Writer) => void): this {
    const inner = new Writer();
    build(inner);
    return this.bytes(field, inner.finish());
  }
  int(field: number, value: number): this {
    return this.tag(field, 0).varint(value);
  }
  float(field: number, value: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.flushBytes();
    this.bytesOut.push(b);
    return this;
  }
  finish(): Uint8Array {
    this.flushBytes();
    const total = this.bytesOut.reduce((n, b) => n + b.length, 0);
    const out = new Uint8Array(total);
    let o = 0;
    for (const b of this.bytesOut) {
      out.set(b, o);
      o += b.length;
    }
    return out;
  }
}

export type Attr = { name: string } & ({ i: number } | { f: number } | { s: string } | { ints: number[] });

export interface Node {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs?: readonly Attr[];
}

export interface Tensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

export interface ValueInfo {
  readonly name: string;
  readonly dims: readonly number[];
}

export interface GraphDef {
  readonly name: string;
  readonly nodes: readonly Node[];
  readonly initializers: readonly Tensor[];
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly opset: number;
}

function writeValueInfo(w: Writer, v: ValueInfo): void {
  w.string(1, v.name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.int(1, 1).message(2, (shape) => {
        for (const d of v.dims) shape.message(1, (dim) => dim.int(1, d));
      }),
    ),
  );
}

export function encodeModel(g: GraphDef): Uint8Array {
  const w = new Writer();
  w.int(1, 8); // ir_version 8 (onnxruntime 1.30 reads 3..11)
  w.string(2, 'modelc-bench');
  w.message(7, (graph) => {
    g.nodes.forEach((n, index) =>
      graph.message(1, (node) => {
        for (const i of n.inputs) node.string(1, i);
        for (const o of n.outputs) node.string(2, o);
        node.string(3, `${n.op.toLowerCase()}_${index}`);
        node.string(4, n.op);
        for (const a of n.attrs ?? []) {
          node.message(5, (attr) => {
            attr.string(1, a.name);
            if ('i' in a) attr.int(3, a.i).int(20, 2);
            else if ('f' in a) attr.float(2, a.f).int(20, 1);
            else if ('s' in a) attr.string(4, a.s).int(20, 3);
            else {
              for (const v of a.ints) attr.int(8, v);
              attr.int(20, 7);
            }
          });
        }
      }),
    );
    graph.string(2, g.name);
    for (const t of g.initializers) {
      graph.message(5, (tensor) => {
        for (const d of t.dims) tensor.int(1, d);
        tensor.int(2, 1);
        tensor.string(8, t.name);
        tensor.bytes(9, new Uint8Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.byteLength)));
      });
    }
    for (const v of g.inputs) graph.message(11, (vi) => writeValueInfo(vi, v));
    for (const v of g.outputs) graph.message(12, (vi) => writeValueInfo(vi, v));
  });
  w.message(8, (opset) => opset.string(1, '').int(2, g.opset));
  return w.finish();
}

/** Keras LSTM weights (gate order i, f, c, o) and a Dense head, as the generated module holds them. */
export interface LstmDenseWeights {
  readonly kernel: Float32Array; // (F, 4U)
  readonly recurrentKernel: Float32Array; // (U, 4U)
  readonly bias: Float32Array; // (4U)
  readonly denseKernel: Float32Array; // (U, D)
  readonly denseBias: Float32Array; // (D)
}

// ONNX gate block g (i, o, f, c) takes Keras block KERAS_OF_ONNX[g] (Keras order i, f, c, o).
const KERAS_OF_ONNX = [0, 3, 1, 2];

/** (rows, 4U) Keras matrix -> (4U, rows) ONNX matrix with the gate blocks permuted to i, o, f, c. */
function permuteTranspose(m: Float32Array, rows: number, U: number): Float32Array {
  const G = 4 * U;
  const out = new Float32Array(G * rows);
  for (let g = 0; g < 4; g++) {
    const src = KERAS_OF_ONNX[g]! * U;
    for (let u = 0; u < U; u++) {
      for (let r = 0; r < rows; r++) out[(g * U + u) * rows + r] = m[r * G + src + u]!;
    }
  }
  return out;
}

/**
 * The ONNX model of keras LSTM(U) -> Dense(D) on input x (B, T, F), batch first as Keras has it:
 * Transpose x to time-major (T, B, F), LSTM (opset 12, forward, sigmoid/tanh/tanh), Y_h (1, B, U)
 * reshaped to (B, U), then MatMul + Add for the Dense. Output "y" (B, D).
 */
export function lstmDenseOnnx(B: number, T: number, F: number, U: number, D: number, w: LstmDenseWeights): Uint8Array {
  const G = 4 * U;
  const bias = new Float32Array(2 * G); // Wb (permuted), then Rb = 0
  for (let g = 0; g < 4; g++) bias.set(w.bias.subarray(KERAS_OF_ONNX[g]! * U, KERAS_OF_ONNX[g]! * U + U), g * U);
  return encodeModel({
    name: 'lstm_dense',
    opset: 12,
    inputs: [{ name: 'x', dims: [B, T, F] }],
    outputs: [{ name: 'y', dims: [B, D] }],
    initializers: [
      { name: 'W', dims: [1, G, F], data: permuteTranspose(w.kernel, F, U) },
      { name: 'R', dims: [1, G, U], data: permuteTranspose(w.recurrentKernel, U, U) },
      { name: 'B', dims: [1, 2 * G], data: bias },
      { name: 'Wd', dims: [U, D], data: w.denseKernel },
      { name: 'Bd', dims: [D], data: w.denseBias },
    ],
    nodes: [
      { op: 'Transpose', inputs: ['x'], outputs: ['xt'], attrs: [{ name: 'perm', ints: [1, 0, 2] }] },
      {
        op: 'LSTM',
        inputs: ['xt', 'W', 'R', 'B'],
        outputs: ['', 'Y_h'],
        attrs: [
          { name: 'hidden_size', i: U },
          { name: 'direction', s: 'forward' },
        ],
      },
      // Y_h is (num_directions = 1, B, U): drop the first axis
      { op: 'Squeeze', inputs: ['Y_h'], outputs: ['h'], attrs: [{ name: 'axes', ints: [0] }] },
      { op: 'MatMul', inputs: ['h', 'Wd'], outputs: ['hd'] },
      { op: 'Add', inputs: ['hd', 'Bd'], outputs: ['y'] },
    ],
  });
}
