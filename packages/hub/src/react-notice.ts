import { recipientsFor, unprotectedNotice, type ReactionStep } from "@wshub/core";
import type { AuditFields } from "./audit-recorder.js";
import { failedOutcome, mustSucceed } from "./react-outcomes.js";
import { computerFields, openWindow, type StepRun, type StepScope } from "./react-steps.js";

type NotifyStep = Extract<ReactionStep, { kind: "notify" }>;

/**
 * One "not protected" notice per event, to the account's report recipients and the central team (SES) and the
 * optional SNS topic; an instance already named in a notice within `signals.noticeWindowHours` is not named again.
 */
export async function sendNotice(
  run: StepRun,
  scope: StepScope,
  steps: NotifyStep[],
  accessLines: string[],
): Promise<void> {
  const fresh: NotifyStep[] = [];
  for (const step of steps) {
    if (await openWindow(run, "notice", `${scope.account.id}#${step.instanceId}`)) fresh.push(step);
    else
      await run.recorder.record([
        {
          ...noticeFields(run, scope, step, []),
          action: "skipped",
          reason: "a notice named this instance within the notice window",
        },
      ]);
  }
  if (fresh.length === 0) return;
  const reports = run.ctx.config.reports;
  const to = [
    ...new Set([...recipientsFor(scope.account, reports.recipients).addresses, ...reports.centralRecipients]),
  ];
  const notice = unprotectedNotice({
    signal: run.signal,
    accountName: scope.account.name,
    instances: fresh,
    accessLines,
  });
  const fields = fresh.map((step) => ({
    ...noticeFields(run, scope, step, to),
    details: { subject: notice.subject, reason: step.reason },
  }));
  const mailer = run.ctx.mailer;
  if (to.length === 0 || !mailer || !reports.sendEmail) {
    const why = to.length === 0 ? "no recipients are configured for the account or the central team" : "e-mail is off";
    await run.recorder.record(fields.map((f) => ({ ...f, action: "skipped", reason: why })));
  } else if (run.dryRun) await run.recorder.record(fields);
  else {
    const { raw } = await run.deps.composeNotice({
      from: reports.sender,
      to,
      subject: notice.subject,
      text: notice.text,
    });
    await mustSucceed(
      run.recorder.audited(
        fields,
        () => mailer.send({ from: reports.sender, to, subject: notice.subject, raw }),
        (result) =>
          result.ok
            ? { action: "applied", answer: { status: 200, message: result.value.messageId } }
            : failedOutcome(result.error),
      ),
    );
  }
  const topic = run.deps.topic;
  if (topic && !run.dryRun) {
    const topicFields = fields.map((f) => ({
      ...f,
      changeId: `${f.changeId}#sns`,
      targetId: run.ctx.config.signals.snsTopicArn ?? "sns",
    }));
    await mustSucceed(
      run.recorder.audited(
        topicFields,
        () => topic.publish(notice.subject, notice.text),
        (result) => (result.ok ? { action: "applied", answer: { status: 200 } } : failedOutcome(result.error)),
      ),
    );
  }
}

function noticeFields(run: StepRun, scope: StepScope, step: NotifyStep, to: string[]): AuditFields {
  const base = step.computer
    ? computerFields(run, scope, step.computer, "notice")
    : { ...computerFields(run, scope, { id: 0, hostName: "", policyId: 0, ipsRuleIds: [] }, "notice"), computerId: 0 };
  return {
    ...base,
    changeId: `${run.recorder.run.runId}#notice`,
    instanceId: step.instanceId,
    targetKind: "recipients",
    targetId: to.join(",") || "none",
  };
}
