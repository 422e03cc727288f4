/** The crash policy, with a fake clock: quiet restarts, then a stop with a notification. */
import * as assert from 'node:assert';
import { CloseAction } from 'vscode-languageclient/node';
import { CrashHandler, MAX_RESTARTS } from '../../../client/src/crashHandler';

suite('Kube Route Lens crash policy', () => {
  test(`restarts ${MAX_RESTARTS} times within three minutes, then stops and tells the user`, () => {
    let now = 0;
    const gaveUp: number[] = [];
    const handler = new CrashHandler((count) => gaveUp.push(count), () => now);
    for (let i = 0; i < MAX_RESTARTS; i++) {
      now += 1000;
      assert.strictEqual(handler.closed().action, CloseAction.Restart);
    }
    now += 1000;
    assert.strictEqual(handler.closed().action, CloseAction.DoNotRestart);
    assert.deepStrictEqual(gaveUp, [MAX_RESTARTS + 1]);
  });

  test('crashes spread over time keep being restarted; a manual restart resets the count', () => {
    let now = 0;
    const handler = new CrashHandler(() => assert.fail('should not give up'), () => now);
    for (let i = 0; i < 10; i++) {
      now += 60_000;
      assert.strictEqual(handler.closed().action, CloseAction.Restart);
    }
    handler.reset();
    assert.strictEqual(handler.closed().action, CloseAction.Restart);
  });
});
