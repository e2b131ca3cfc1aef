import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalKafka, type LocalKafka } from '../../src/local/kafka-broker.js';
import { createLogger } from '../../src/observability/logger.js';

const ROOT_DIR = path.resolve(import.meta.dirname, '../..');

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
  }
}

let kafka: LocalKafka | undefined;
let dataDir: string | undefined;

/**
 * One real Kafka broker (KRaft) for the whole integration run, on free ports, with its data in a
 * fresh folder that is removed afterwards. Test files isolate themselves by topic namespace.
 */
export async function setup(project: TestProject): Promise<void> {
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'warn', name: 'test-harness' });
  mkdirSync(path.join(ROOT_DIR, '.local'), { recursive: true });
  dataDir = mkdtempSync(path.join(ROOT_DIR, '.local', 'test-kafka-'));
  kafka = await startLocalKafka({ rootDir: ROOT_DIR, dataDir, logger });
  project.provide('kafkaBrokers', kafka.brokers);
}

export async function teardown(): Promise<void> {
  await kafka?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
