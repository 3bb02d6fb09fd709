import { checkLinks, type MailAttachment, type ReportLink } from "./compose.js";
import { escapeHtml } from "./html.js";

/** How the report files travel: attached, or (too big for SES) as presigned links. */
export type Delivery = { attachments: readonly MailAttachment[] } | { links: readonly ReportLink[] };

export interface DeliveryText {
  html: string;
  text: string;
  attachments: readonly MailAttachment[];
}

export function deliveryText(delivery: Delivery): DeliveryText {
  if ("links" in delivery) {
    checkLinks(delivery.links);
    const intro = "The report files are too large to attach. Download them here (the links expire):";
    const items = delivery.links.map(
      (link) =>
        `<li><a href="${escapeHtml(link.url)}">${escapeHtml(link.filename)}</a> (valid until ${escapeHtml(link.expiresAt)})</li>`,
    );
    const lines = delivery.links.map((link) => `- ${link.filename} (valid until ${link.expiresAt}):\n  ${link.url}`);
    return {
      html: `<p>${escapeHtml(intro)}</p><ul>${items.join("")}</ul>`,
      text: `${intro}\n${lines.join("\n")}`,
      attachments: [],
    };
  }
  const names = delivery.attachments.map((attachment) => attachment.filename);
  if (names.length === 0) return { html: "", text: "", attachments: [] };
  const intro = "Attached:";
  return {
    html: `<p>${escapeHtml(intro)}</p><ul>${names.map((name) => `<li>${escapeHtml(name)}</li>`).join("")}</ul>`,
    text: `${intro}\n${names.map((name) => `- ${name}`).join("\n")}`,
    attachments: delivery.attachments,
  };
}
