import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTopicLog, partitionForKey } from './topic-log.js';

function message(key: string, text: string) {
  return { key, value: Buffer.from(text) };
}

describe('the in-process topic log', () => {
  test('a key always hashes to the same partition', () => {
    const partitions = new Set(Array.from({ length: 5 }, () => partitionForKey('reg-42', 3)));

    assert.equal(partitions.size, 1);
    assert.ok([0, 1, 2].includes([...partitions][0]!));
  });

  test('offsets count up within each partition', () => {
    const log = createTopicLog({ partitions: 3, maxRetained: 100 });
    const partition = log.append(message('k', 'a'));
    log.append(message('k', 'b'));

    assert.equal(log.read(partition, 0)?.message.value.toString(), 'a');
    assert.equal(log.read(partition, 1)?.message.value.toString(), 'b');
    assert.equal(log.endOffset(partition), 2);
  });

  test('beyond its limit the log drops the oldest records of the topic, whatever their partition', () => {
    const log = createTopicLog({ partitions: 3, maxRetained: 4 });
    const placed = Array.from({ length: 7 }, (_, n) => log.append(message(`key-${n}`, `m${n}`)));
    assert.ok(new Set(placed).size > 1, 'the keys should spread over several partitions');

    const kept = [0, 1, 2].flatMap((partition) => {
      const texts: string[] = [];
      for (
        let offset = log.startOffset(partition);
        offset < log.endOffset(partition);
        offset += 1
      ) {
        texts.push(log.read(partition, offset)!.message.value.toString());
      }
      return texts;
    });

    assert.deepEqual(kept.sort(), ['m3', 'm4', 'm5', 'm6']);
  });
});
