import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const file = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../manifest/slack.yaml',
);
const ENDPOINT = 'https://YOUR-HOST/slack/events';

type SlashCommand = { command: string; url: string; description: string; usage_hint?: string };
type SlackManifest = {
  display_information: { name: string; description: string; long_description?: string };
  features: {
    app_home: { messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
    bot_user: { display_name: string };
    slash_commands: SlashCommand[];
  };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string; message_menu_options_url: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
  };
};

describe('Slack app manifest', () => {
  let text: string;
  let manifest: SlackManifest;

  before(async () => {
    text = await readFile(file, 'utf8');
    manifest = parse(text) as SlackManifest;
  });

  it('names the app and its bot user within Slack limits', () => {
    const info = manifest.display_information;

    assert.equal(info.name, 'Duo Enrol');
    assert.ok(info.description.length <= 140);
    // Slack rejects a long description shorter than 174 characters.
    const long = info.long_description ?? '';
    assert.ok(long.length >= 174 && long.length <= 4000, `long_description: ${long.length}`);
    assert.ok(manifest.features.bot_user.display_name);
  });

  it('declares /enrol and /enroll on the Slack endpoint, with usage hints', () => {
    const commands = manifest.features.slash_commands;

    assert.deepEqual(
      commands.map((c) => c.command),
      ['/enrol', '/enroll'],
    );
    for (const command of commands) {
      assert.equal(command.url, ENDPOINT);
      assert.ok(command.description, command.command);
      assert.match(command.usage_hint ?? '', /contractor .+ by sms/);
    }
  });

  it('asks for exactly the bot scopes the features need, and no user scopes', () => {
    assert.deepEqual([...manifest.oauth_config.scopes.bot].sort(), [
      'app_mentions:read',
      'chat:write',
      'commands',
      'files:read',
      'files:write',
      'im:history',
      'im:write',
      'users:read',
      'users:read.email',
    ]);
    assert.equal(manifest.oauth_config.scopes.user, undefined);
  });

  it('subscribes to mentions and direct messages only, on the Slack endpoint', () => {
    const events = manifest.settings.event_subscriptions;

    assert.equal(events.request_url, ENDPOINT);
    // message.channels as well would deliver every mention twice.
    assert.deepEqual([...events.bot_events].sort(), ['app_mention', 'message.im']);
  });

  it('lets people write to the bot in its Messages tab', () => {
    assert.equal(manifest.features.app_home.messages_tab_enabled, true);
    assert.equal(manifest.features.app_home.messages_tab_read_only_enabled, false);
  });

  it('sends clicks and select options to the Slack endpoint', () => {
    const interactivity = manifest.settings.interactivity;

    assert.equal(interactivity.is_enabled, true);
    assert.equal(interactivity.request_url, ENDPOINT);
    assert.equal(interactivity.message_menu_options_url, ENDPOINT);
  });

  it('ships with HTTP delivery, one workspace, and says how to switch to Socket Mode', () => {
    assert.equal(manifest.settings.socket_mode_enabled, false);
    assert.equal(manifest.settings.org_deploy_enabled, false);

    const comment = text.split('\n').filter((line) => line.trimStart().startsWith('#'));
    assert.ok(comment.some((line) => line.includes('SLACK_APP_TOKEN')));
    assert.ok(comment.some((line) => line.includes('connections:write')));
  });

  it('uses one placeholder host everywhere', () => {
    const urls = text.match(/https:\/\/[^\s'"]+/g) ?? [];

    assert.ok(urls.length >= 5);
    for (const url of urls) assert.equal(url, ENDPOINT);
  });
});
