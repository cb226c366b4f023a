// What Conv1D and Conv2D share (keras/src/layers/convolutional/base_conv.py): the option table
// over `rank` spatial axes, the checks Keras makes in __init__ and build (filters and input
// channels divisible by groups, strides and dilation_rate not both > 1), the output shape (the
// one window formula of shapes/conv.ts on every spatial axis, channels last), the short
// description, and the parameters in Keras's layout: kernel (...kernel_size, channels / groups,
// filters) and bias (filters).
import { expectStridesOrDilation, knownChannels, perAxis, windowedShape, windowText, type Padding, type Window } from '../shapes/conv.js';
import { formatShape, type Dim, type TensorType } from '../shapes/dim.js';
import { expectDType, expectRank, layerTitle } from '../shapes/rules.js';
import type { ParamSpec, ShapeContext, ShapeInput } from './layer.js';
import { activationSchema, isLinear } from './options/activations.js';
import { initializerOf, initializerSchema } from './options/initializers.js';
import { boolean, integer, type ConfigOf } from './options/option.js';
import { dataFormat2dSchema, dataFormatSchema, paddingSchema, sizeSchema, sizesOf } from './options/window.js';

/** How a rank's convolution names its window and axes in the schema and in messages. */
export interface ConvAxes {
  /** 1 (steps) or 2 (rows, columns). */
  readonly rank: number;
  /** The input's axes: `(batch, steps, channels)`. */
  readonly meaning: string;
  /** The kernel's spatial axes, for the schema and the JSDoc of the weight: `kernel_size`, `kernel rows × kernel columns`. */
  readonly kernelAxes: string;
  readonly kernelText: string;
}

/** The option table of a convolution over `axes.rank` spatial axes with the given paddings. */
export function convOptions<const P extends readonly Padding[]>(axes: ConvAxes, paddings: P, paddingText: string) {
  return {
    filters: integer('Number of output channels.'),
    kernel_size: sizeSchema(axes.kernelText, undefined, axes.rank),
    strides: sizeSchema('Step between windows.', 1, axes.rank),
    padding: paddingSchema(paddings, paddingText),
    data_format: axes.rank === 1 ? dataFormatSchema : dataFormat2dSchema,
    dilation_rate: sizeSchema('Spacing between the taps of the window; > 1 cannot be combined with strides > 1.', 1, axes.rank),
    groups: integer('Channel groups convolved separately; must divide the input channels and filters.', { default: 1 }),
    activation: activationSchema(null, 'Activation applied to the output; null is linear.', { overLastAxis: true }),
    use_bias: boolean('Whether the layer adds a bias vector.', true),
    kernel_initializer: initializerSchema('glorot_uniform', `Initializer of the kernel (${axes.rank === 1 ? 'kernel_size' : 'kernel rows, kernel cols'}, channels / groups, filters).`),
    bias_initializer: initializerSchema('zeros', 'Initializer of the bias (filters).'),
  };
}

export type ConvConfig = ConfigOf<ReturnType<typeof convOptions<readonly Padding[]>>>;

/** The window over each spatial axis. */
export function convWindows(c: ConvConfig, rank: number): Window[] {
  const [sizes, strides, dilations] = [sizesOf(c.kernel_size, rank), sizesOf(c.strides, rank), sizesOf(c.dilation_rate, rank)];
  return sizes.map((size, axis) => ({ size, stride: strides[axis]!, dilation: dilations[axis]!, padding: c.padding }));
}

/** `Conv2D(8, kernel_size=(3, 3), strides=(2, 2), padding=same, activation=relu)`. */
export function describeConv(type: string, c: ConvConfig, windows: readonly Window[]): string {
  const of = (key: keyof Window) => windows.map((w) => w[key] as number);
  const unit = (key: keyof Window) => of(key).every((v) => v === 1);
  const extras = [
    unit('stride') ? '' : `strides=${perAxis(of('stride'))}`,
    c.padding !== 'valid' ? `padding=${c.padding}` : '',
    unit('dilation') ? '' : `dilation_rate=${perAxis(of('dilation'))}`,
    c.groups !== 1 ? `groups=${c.groups}` : '',
    isLinear(c.activation) ? '' : `activation=${String(c.activation)}`,
    c.use_bias ? '' : 'use_bias=false',
  ].filter((e) => e !== '');
  return `${type}(${[String(c.filters), `kernel_size=${perAxis(of('size'))}`, ...extras].join(', ')})`;
}

/** Keras's config checks: filters divisible by groups, and strides and dilation_rate not both > 1 (MC2008). */
function configOk(ctx: ShapeContext, c: ConvConfig, windows: readonly Window[]): boolean {
  const title = layerTitle(ctx);
  let ok = true;
  if (c.filters % c.groups !== 0) {
    ctx.error('MC2008', `${title} expects filters divisible by groups. Received: filters=${c.filters}, groups=${c.groups}.`, {
      pointer: `${ctx.layer.pointer}/groups`,
      hint: `use a number of groups that divides ${c.filters}, or a multiple of ${c.groups} filters.`,
    });
    ok = false;
  }
  return expectStridesOrDilation(ctx, windows) && ok;
}

/** The input channels, known at compile time (they size the kernel) and divisible by groups (MC4010, MC4019). */
function channelsOf(ctx: ShapeContext, input: ShapeInput, groups: number): number | undefined {
  const channels = knownChannels(ctx, input);
  if (channels === undefined) return undefined;
  const shape = input.type.shape;
  if (channels % groups !== 0) {
    ctx.error('MC4019', { layer: layerTitle(ctx), groups, channels, shape: formatShape(shape) }, {
      pointer: `${ctx.layer.pointer}/groups`,
      related: [ctx.definedHere(input.producer)],
      hint: `use a number of groups that divides ${channels}.`,
    });
    return undefined;
  }
  return channels;
}

/** The shape rule: (batch, ...spatial, channels) -> (batch, ...output lengths, filters). */
export function convShape(ctx: ShapeContext, input: ShapeInput, c: ConvConfig, axes: ConvAxes): TensorType[] | undefined {
  const windows = convWindows(c, axes.rank);
  const ok = configOk(ctx, c, windows);
  const rank = axes.rank + 2;
  if (!expectRank(ctx, input, rank, rank, axes.meaning) || !expectDType(ctx, input, 'float32') || !ok) return undefined;
  if (channelsOf(ctx, input, c.groups) === undefined) return undefined;
  const padding = axes.rank === 1 ? '`padding: same` or `padding: causal`' : '`padding: same`';
  const spatial: Dim[] | undefined = windowedShape(ctx, input, windows, windowText(windows), `use ${padding}, a smaller kernel_size or dilation_rate, or a longer input.`);
  return spatial && [{ dtype: 'float32', shape: [...spatial, c.filters] }];
}

/** kernel (...kernel_size, channels / groups, filters) and, with use_bias, bias (filters). */
export function convParams(input: TensorType, c: ConvConfig, axes: ConvAxes): ParamSpec[] {
  const channels = input.shape[input.shape.length - 1] as number;
  const perGroup = channels / c.groups;
  return [
    {
      name: 'kernel',
      shape: [...sizesOf(c.kernel_size, axes.rank), perGroup, c.filters],
      initializer: initializerOf(c.kernel_initializer),
      layout: c.groups === 1 ? `${axes.kernelAxes} × input channels × filters` : `${axes.kernelAxes} × input channels of a group (${perGroup}) × filters (${c.filters / c.groups} per group)`,
    },
    ...(c.use_bias ? [{ name: 'bias', shape: [c.filters], initializer: initializerOf(c.bias_initializer), layout: 'filters' }] : []),
  ];
}
