/**
 * Both manifests parse and declare exactly the command(s) and bot scopes the code registers and
 * uses, in the shape of the `Manifest` type of @slack/web-api (apps.manifest.create).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SLACK_BOT_SCOPES, SLACK_COMMANDS } from '../../../src/surfaces/slack/scopes.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

const manifestSchema = z.object({
  _metadata: z.object({ major_version: z.number(), minor_version: z.number() }).optional(),
  display_information: z.object({ name: z.string().min(1).max(35), description: z.string().max(140).optional(), long_description: z.string().min(175).max(4000).optional(), background_color: z.string().regex(/^#[0-9a-f]{6}$/i).optional() }),
  features: z.object({
    bot_user: z.object({ display_name: z.string().min(1).max(80), always_online: z.boolean().optional() }),
    slash_commands: z.array(z.object({ command: z.string().startsWith('/'), description: z.string().min(1), url: z.string().url().optional(), usage_hint: z.string().optional(), should_escape: z.boolean().optional() })),
  }),
  oauth_config: z.object({ redirect_urls: z.array(z.string().url()).optional(), scopes: z.object({ bot: z.array(z.string()) }) }),
  settings: z.object({
    interactivity: z.object({ is_enabled: z.boolean(), request_url: z.string().url().optional() }),
    socket_mode_enabled: z.boolean(),
    org_deploy_enabled: z.boolean().optional(),
    token_rotation_enabled: z.boolean().optional(),
  }),
});

const load = (file: string) => manifestSchema.parse(parse(readFileSync(`${root}${file}`, 'utf8')));

describe.each(['manifest.yml', 'manifest.socket-mode.yml'])('%s', (file) => {
  const m = load(file);
  it('declares exactly the slash commands the code registers', () => {
    expect(m.features.slash_commands.map((c) => c.command).sort()).toEqual([...SLACK_COMMANDS].sort());
    expect(m.features.slash_commands[0]?.usage_hint).toBe('why-slow <pipeline> | pipelines | compare | size | help');
  });
  it('asks for exactly the bot scopes the code uses', () => {
    expect([...m.oauth_config.scopes.bot].sort()).toEqual([...SLACK_BOT_SCOPES].sort());
  });
  it('turns interactivity on (buttons)', () => {
    expect(m.settings.interactivity.is_enabled).toBe(true);
  });
});

describe('HTTP and Socket Mode variants', () => {
  it('the HTTP manifest points every URL at /slack/events and keeps Socket Mode off', () => {
    const m = load('manifest.yml');
    expect(m.settings.socket_mode_enabled).toBe(false);
    expect(m.features.slash_commands.every((c) => c.url?.endsWith('/slack/events'))).toBe(true);
    expect(m.settings.interactivity.request_url).toMatch(/\/slack\/events$/);
    expect(m.oauth_config.redirect_urls).toEqual(['https://YOUR-HOST/slack/oauth_redirect']);
  });
  it('the Socket Mode manifest has Socket Mode on and no request URLs; its one URL is the OAuth redirect, served on PORT', () => {
    const raw = readFileSync(`${root}manifest.socket-mode.yml`, 'utf8');
    const m = load('manifest.socket-mode.yml');
    expect(m.settings.socket_mode_enabled).toBe(true);
    expect(m.features.slash_commands.some((c) => c.url)).toBe(false);
    expect(m.settings.interactivity.request_url).toBeUndefined();
    // the install pages of an OAuth install are mounted on the bot's own server (src/main.ts)
    expect(m.oauth_config.redirect_urls).toEqual(['https://YOUR-HOST/slack/oauth_redirect']);
    expect(raw.match(/https?:\/\/[^\s"]+/g)).toEqual(['https://YOUR-HOST/slack/oauth_redirect']);
  });
});
