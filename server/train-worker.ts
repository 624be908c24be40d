/**
 * The learned suggester's training off the hub's request path (server/learned.ts starts it as a
 * worker thread): the hub reads the tickets page by page and posts each page here; counting them
 * (shared/learn/model.ts) and writing the model file (shared/learn/serialize.ts) happen on this
 * thread, so the hub keeps answering while a million tickets are counted.
 *
 * Messages in: `{ rows: Array<[text, label]> }` (any number), then `{ build: true }`.
 * Message out: `{ content, labels, rows }` once built, or `{ error }`.
 */
import { parentPort } from 'node:worker_threads';
import { DEFAULT_TRAIN, Trainer } from '../shared/learn/model';
import { serializeModel } from '../shared/learn/serialize';

const trainer = new Trainer(DEFAULT_TRAIN);
parentPort!.on('message', (message: { rows?: Array<[string, string]>; build?: boolean }) => {
  try {
    if (message.rows) for (const [text, label] of message.rows) trainer.add(text, label);
    if (message.build) {
      const model = trainer.build();
      parentPort!.postMessage({ content: serializeModel(model), labels: model.labels.length, rows: model.trained });
    }
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
