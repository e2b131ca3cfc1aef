import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { DockerfileParser } from 'dockerfile-ast';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CONSUMER_GROUPS } from '../src/consumers/index.js';

const ROOT_DIR = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const read = (file: string) => readFileSync(path.join(ROOT_DIR, file), 'utf8');

/**
 * The Compose Specification's own JSON schema, as the `dclint` package (a devDependency, pinned)
 * ships it: compose-spec's schema/compose-spec.json of July 2025. Nothing is fetched and no copy is
 * committed; upgrading dclint upgrades the schema.
 */
function composeSpecSchema(): Record<string, unknown> {
  const schemaFile = path.join(path.dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
  return JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
}

type ComposeFile = {
  services: Record<string, { command?: string[]; depends_on?: Record<string, unknown>; volumes?: string[] }>;
  volumes?: Record<string, unknown>;
};

/** As Compose reads it: YAML with merge keys (`<<: *service`). */
const parseCompose = (text: string) => parseYaml(text, { merge: true }) as ComposeFile;

const clone = <T>(value: T): T => structuredClone(value);

/** What the build stage copies from the build context (COPY without --from), by source path. */
function copiedFromContext(dockerfile: string): string[] {
  return DockerfileParser.parse(dockerfile)
    .getCOPYs()
    .filter((copy) => copy.getFromFlag() === null)
    .flatMap((copy) => copy.getArguments().slice(0, -1).map((arg) => arg.getValue().replace(/\/$/, '')));
}

/** Sources a Dockerfile copies that the build context would not have: missing, or excluded by .dockerignore. */
function missingFromContext(dockerfile: string, dockerignore: string): string[] {
  const ignored = new Set(dockerignore.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
  return copiedFromContext(dockerfile).filter((source) => ignored.has(source.split('/')[0]!) || !existsSync(path.join(ROOT_DIR, source)));
}

describe('docker-compose.yml against the Compose Specification', () => {
  let validateCompose: ValidateFunction;
  let compose: ComposeFile;
  beforeAll(() => {
    const schema = composeSpecSchema();
    expect(schema.title).toBe('Compose Specification');
    // Strict about keywords, not about the union types the spec's authors use throughout.
    const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strictTypes: false });
    // The schema names draft-07 by its https URL, which Ajv registers only under http://…#.
    ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-07.json') as object, String(schema.$schema));
    validateCompose = ajv.compile(schema);
    compose = parseCompose(read('docker-compose.yml'));
  });

  const errorsOf = (doc: unknown): ErrorObject[] => (validateCompose(doc) ? [] : (validateCompose.errors ?? []));

  it('is a valid Compose file', () => {
    expect(errorsOf(compose)).toEqual([]);
  });

  it('fails on a typo: an unknown key in a service, a wrong type, an unknown top-level section', () => {
    const unknownKey = clone(compose) as ComposeFile & { services: Record<string, Record<string, unknown>> };
    unknownKey.services.redis!.heathcheck = unknownKey.services.redis!.healthcheck;
    delete unknownKey.services.redis!.healthcheck;
    expect(errorsOf(unknownKey)).toContainEqual(
      expect.objectContaining({ instancePath: '/services/redis', keyword: 'additionalProperties', params: { additionalProperty: 'heathcheck' } }),
    );

    const wrongType = clone(compose) as ComposeFile & { services: Record<string, Record<string, unknown>> };
    wrongType.services.api!.ports = 4000;
    expect(errorsOf(wrongType)).toContainEqual(expect.objectContaining({ instancePath: '/services/api/ports', keyword: 'type' }));

    const badSection = { ...clone(compose), volume: {} };
    expect(errorsOf(badSection)).toContainEqual(expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'volume' } }));

    // And from the text, as a typo in the file arrives.
    const original = read('docker-compose.yml');
    const text = original.replace('    restart: unless-stopped\n    # AOF', '    restrat: unless-stopped\n    # AOF');
    expect(text).not.toBe(original);
    expect(errorsOf(parseCompose(text))).toContainEqual(expect.objectContaining({ instancePath: '/services/redis', params: { additionalProperty: 'restrat' } }));
  });

  it('runs every consumer group as a service, names only real groups, and refers only to what it defines', () => {
    const consumed = Object.values(compose.services)
      .map((s) => s.command ?? [])
      .filter((c) => c[2] === 'consume')
      .map((c) => c[3]);
    expect([...consumed].sort()).toEqual([...CONSUMER_GROUPS].sort());
    for (const [name, service] of Object.entries(compose.services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) expect(compose.services, `${name} depends on ${dependency}`).toHaveProperty(dependency);
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (!source.startsWith('.') && !source.startsWith('/')) expect(compose.volumes ?? {}, `${name} mounts ${source}`).toHaveProperty(source);
      }
    }
  });
});

describe('the Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const dockerignore = read('.dockerignore');

  it('passes the Dockerfile linter (dockerfile-utils, the VS Code Docker extension’s)', () => {
    expect(lintDockerfile(dockerfile).map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('fails the linter on a broken copy', () => {
    const broken = dockerfile.replace('RUN npm ci', 'RUNN npm ci').replace('EXPOSE 4000', 'EXPOSE port4000');
    expect(lintDockerfile(broken).map((d) => d.message)).toEqual(expect.arrayContaining(['Unknown instruction: RUNN', 'Invalid containerPort: port4000']));
  });

  it('copies what `npm run build` reads, all of it present in the build context', () => {
    expect(missingFromContext(dockerfile, dockerignore)).toEqual([]);
    const copied = copiedFromContext(dockerfile);
    // The build script's inputs: tsc's configs (tsconfig.build.json extends tsconfig.json), the sources, the GraphiQL bundler.
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'scripts']));
    expect(read('package.json')).toContain('node scripts/build-graphiql.mjs');
    // A source that is not there, or that .dockerignore keeps out, is caught.
    expect(missingFromContext(dockerfile.replace('tsconfig.build.json', 'tsconfig.biuld.json'), dockerignore)).toEqual(['tsconfig.biuld.json']);
    expect(missingFromContext(`${dockerfile}\nCOPY dist ./dist\n`, dockerignore)).toEqual(['dist']);
  });
});
