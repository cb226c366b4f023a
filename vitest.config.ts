// Tests compile specs and type-check generated modules in-process: seconds each on a loaded
// 2-CPU machine, so the default 5 s timeout would flake. No test asserts on timing.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
