// Writes schemas/model.schema.json from the layer registry (`npm run schema`). A test fails
// when the committed file differs from what this would write.
import { writeFileSync } from 'node:fs';
import { schemaText } from '../src/schema/model-schema.ts';

writeFileSync(new URL('../schemas/model.schema.json', import.meta.url), schemaText());
console.log('schemas/model.schema.json written');
