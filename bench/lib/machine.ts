import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  readonly cpu: string;
  readonly cpuFamily: string;
  readonly cores: number;
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly date: string;
}

export function machine(): Machine {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  let cpuFamily = '';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(info)?.[1]?.trim();
    cpu = field('model name') ?? cpu;
    const flags = field('flags') ?? '';
    cpuFamily = `family ${field('cpu family')} model ${field('model')}${flags.includes('avx512f') ? ', AVX-512' : flags.includes('avx2') ? ', AVX2' : ''}${info.includes('hypervisor') ? ', virtualized' : ''}`;
  } catch {
    // not Linux: os.cpus() is enough
  }
  return {
    cpu,
    cpuFamily,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
  };
}
