// Vite builds the page; modelc/plugin compiles the spec it imports (any .yaml here: the example
// imports models/seed_lstm_state.yaml from the repository, not a *.model.yaml file).
import modelc from 'modelc/plugin';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [modelc.vite({ include: /\.ya?ml$/ })],
  build: { target: 'es2022' },
});
