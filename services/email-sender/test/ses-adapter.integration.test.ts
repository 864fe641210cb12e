import {
  GetAccountCommand,
  MessageRejected,
  SendEmailCommand,
  SESv2Client,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { buildSendEmailInput, createSesAdapter, readMaxSendRate } from '../src/ses-adapter.ts';
import { makeEnvelope } from './support/local-stack.ts';

const sesMock = mockClient(SESv2Client);
beforeEach(() => sesMock.reset());

const from = 'Notify <notifications@example.com>';

describe('buildSendEmailInput', () => {
  it('maps the envelope to a Simple SendEmail request', () => {
    const envelope = makeEnvelope(
      {
        to: ['a@example.com'],
        cc: ['c@example.com'],
        bcc: ['b@example.com'],
        replyTo: ['r@example.com'],
        subject: 'Hi',
        text: 'text',
        html: '<p>html</p>',
      },
      { reference: 'order_42-x' },
    );
    expect(buildSendEmailInput(envelope, { from, configurationSet: 'notify-prod' })).toEqual({
      FromEmailAddress: from,
      Destination: {
        ToAddresses: ['a@example.com'],
        CcAddresses: ['c@example.com'],
        BccAddresses: ['b@example.com'],
      },
      ReplyToAddresses: ['r@example.com'],
      Content: {
        Simple: {
          Subject: { Data: 'Hi', Charset: 'UTF-8' },
          Body: {
            Text: { Data: 'text', Charset: 'UTF-8' },
            Html: { Data: '<p>html</p>', Charset: 'UTF-8' },
          },
        },
      },
      ConfigurationSetName: 'notify-prod',
      EmailTags: [
        { Name: 'notification_id', Value: envelope.id },
        { Name: 'reference', Value: 'order_42-x' },
      ],
    });
  });

  it('leaves out empty lists, a missing body part, no configuration set and unsafe references', () => {
    const envelope = makeEnvelope(
      { html: '<b>only html</b>', text: undefined },
      { reference: 'has space/€' },
    );
    const input = buildSendEmailInput(envelope, { from });
    expect(input.Destination).toEqual({ ToAddresses: ['jane@example.com'] });
    expect(input).not.toHaveProperty('ReplyToAddresses');
    expect(input).not.toHaveProperty('ConfigurationSetName');
    expect(input.Content?.Simple?.Body).toEqual({
      Html: { Data: '<b>only html</b>', Charset: 'UTF-8' },
    });
    expect(input.EmailTags).toEqual([{ Name: 'notification_id', Value: envelope.id }]);
  });
});

describe('createSesAdapter', () => {
  const adapter = () => createSesAdapter(new SESv2Client({ region: 'us-east-1' }), { from });

  it('returns the SES message id on success', async () => {
    sesMock.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const result = await adapter().send(makeEnvelope());
    expect(result).toMatchObject({ kind: 'sent', sesMessageId: 'ses-1' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('turns SDK exceptions into the worker kinds instead of throwing', async () => {
    sesMock
      .on(SendEmailCommand)
      .rejectsOnce(
        new TooManyRequestsException({ message: 'slow down', $metadata: { httpStatusCode: 429 } }),
      )
      .rejectsOnce(
        new MessageRejected({ message: 'rejected', $metadata: { httpStatusCode: 400 } }),
      );
    await expect(adapter().send(makeEnvelope())).resolves.toMatchObject({
      kind: 'retryable',
      throttled: true,
    });
    await expect(adapter().send(makeEnvelope())).resolves.toMatchObject({ kind: 'permanent' });
  });

  it('probes the account: enabled, paused, or unknown when GetAccount fails', async () => {
    sesMock
      .on(GetAccountCommand)
      .resolvesOnce({ SendingEnabled: true })
      .resolvesOnce({ SendingEnabled: false })
      .rejectsOnce(new Error('no'));
    await expect(adapter().probeSending()).resolves.toBe('enabled');
    await expect(adapter().probeSending()).resolves.toBe('paused');
    await expect(adapter().probeSending()).resolves.toBe('unknown');
  });

  it('reads MaxSendRate and refuses an answer without one', async () => {
    const client = new SESv2Client({ region: 'us-east-1' });
    sesMock
      .on(GetAccountCommand)
      .resolvesOnce({ SendQuota: { MaxSendRate: 14, Max24HourSend: 50_000, SentLast24Hours: 0 } })
      .resolvesOnce({});
    await expect(readMaxSendRate(client)).resolves.toBe(14);
    await expect(readMaxSendRate(client)).rejects.toThrow('MaxSendRate');
  });
});
