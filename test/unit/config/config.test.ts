import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../../src/config/index.js';
import { ConfigError } from '../../../src/errors.js';

/** Asserts loadConfig refuses `env`, naming `variable`. */
function refuses(env: Record<string, string>, variable: string): void {
  assert.throws(
    () => loadConfig(env),
    (e: unknown) =>
      e instanceof ConfigError && e.variable === variable && e.message.startsWith(variable),
  );
}

describe('configuration', () => {
  it('runs with nothing set: sample directory, simulator, demo self-approval, port 3978', () => {
    const config = loadConfig({});
    assert.equal(config.zeroConfig, true);
    assert.deepEqual(config.directories, ['file']);
    assert.equal(config.duo.simulator, true);
    assert.equal(config.demoSelfApproval, true);
    assert.equal(config.port, 3978);
    assert.match(config.storePath, /data\/enrolbot\.json$/);
    assert.match(config.auditPath, /data\/audit\.jsonl$/);
  });

  it('keeps the demo run when .env.example is copied as it is', () => {
    const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    const env = Object.fromEntries(
      example
        .split('\n')
        .filter((line) => /^[A-Z]/.test(line))
        .map((line) => line.split('=', 2) as [string, string]),
    );
    const config = loadConfig(env);
    assert.equal(config.zeroConfig, true);
    assert.equal(config.demoSelfApproval, true);
    assert.equal(
      loadConfig({ ...env, MICROSOFT_APP_ID: 'x', MICROSOFT_APP_PASSWORD: 'p' }).demoSelfApproval,
      false,
    );
  });

  it('uses the simulator exactly when DUO_API_HOST is unset', () => {
    const real = loadConfig({
      DUO_API_HOST: 'api-x.duosecurity.com',
      DUO_IKEY: 'DIX',
      DUO_SKEY: 's',
    });
    assert.equal(real.duo.simulator, false);
    assert.equal(real.duo.url, 'https://api-x.duosecurity.com');
    assert.equal(
      real.demoSelfApproval,
      false,
      'the demo switch is honoured only with the simulator',
    );
  });

  it('stops on bad values, naming the variable', () => {
    refuses({ PORT: 'eighty' }, 'PORT');
    refuses({ DIRECTORY: 'nis' }, 'DIRECTORY');
    refuses({ DIRECTORY: 'ldap' }, 'LDAP_URL');
    refuses({ DUO_API_HOST: 'api-x.duosecurity.com' }, 'DUO_IKEY');
    refuses({ DEFAULT_PHONE_REGION: 'Britain' }, 'DEFAULT_PHONE_REGION');
    refuses({ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET');
    refuses(
      {
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: 's',
        SLACK_API_URL: 'http://127.0.0.1:1/api',
      },
      'SLACK_API_URL',
    );
    refuses(
      { MICROSOFT_APP_ID: 'id', MICROSOFT_APP_TYPE: 'SingleTenant', MICROSOFT_APP_PASSWORD: 'p' },
      'MICROSOFT_APP_TENANT_ID',
    );
    refuses({ DIRECTORY: 'file', CONTRACTOR_GROUP: 'A;B' }, 'CONTRACTOR_GROUP');
  });

  it('refuses the simulator and anonymous auth in production unless explicitly allowed', () => {
    refuses({ NODE_ENV: 'production' }, 'DUO_API_HOST');
    refuses({ NODE_ENV: 'production', DUO_SANDBOX: 'true' }, 'MICROSOFT_APP_ID');
    const allowed = loadConfig({
      NODE_ENV: 'production',
      DUO_SANDBOX: 'true',
      ALLOW_ANONYMOUS: 'true',
    });
    assert.equal(allowed.demoSelfApproval, false, 'never in production');
    refuses(
      {
        NODE_ENV: 'production',
        DUO_API_HOST: 'h',
        DUO_IKEY: 'i',
        DUO_SKEY: 's',
        DUO_API_URL: 'http://127.0.0.1:9',
        ALLOW_ANONYMOUS: 'true',
      },
      'DUO_API_URL',
    );
  });

  it('splits group variables per directory with both directories', () => {
    const config = loadConfig({
      DIRECTORY: 'ldap,graph',
      LDAP_URL: 'ldap://127.0.0.1:389',
      LDAP_BIND_DN: 'svc',
      LDAP_BIND_PASSWORD: 'pw',
      LDAP_BASE_DN: 'DC=corp,DC=example',
      GRAPH_TENANT_ID: 't',
      GRAPH_CLIENT_ID: 'c',
      GRAPH_CLIENT_SECRET: 's',
      CONTRACTOR_GROUP: 'CN=Contractors,DC=corp,DC=example;1111-2222',
      APPROVER_GROUP: 'CN=Approvers,DC=corp,DC=example;3333-4444',
    });
    assert.deepEqual(config.contractorGroup, {
      ldap: 'CN=Contractors,DC=corp,DC=example',
      graph: '1111-2222',
    });
  });

  it('documents every variable it reads in .env.example', () => {
    const source = ['index', 'directory', 'platforms']
      .map((f) => readFileSync(new URL(`../../../src/config/${f}.ts`, import.meta.url), 'utf8'))
      .join('\n');
    const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    const names = new Set([...source.matchAll(/\(env, '([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]!));
    assert.ok(names.size > 40);
    // ENROLBOT_TEST_* are test hooks, refused in production, not operator settings.
    const missing = [...names]
      .filter((n) => !n.startsWith('ENROLBOT_TEST_'))
      .filter((n) => !new RegExp(`^#?${n}=`, 'm').test(example));
    assert.deepEqual(missing, [], 'every variable has a line in .env.example');
  });
});
