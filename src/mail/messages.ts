import { escapeHtml, languageOf, labels as agendaLabels, momentInWords, periodInWords, type Language } from '../embed/agenda-view.js';
import type { AttendanceMode, MessageKind, ScheduleChangeKind, SessionRegistrationStatus } from '../generated/prisma/enums.js';

/** Text from the event, with the language it is in: a translation, or the default it fell back to. */
export interface InLanguage {
  text: string;
  lang: string;
}

/** A session as a message shows it. */
export interface SessionLine {
  number: number;
  title: InLanguage;
  startsAt: Date;
  endsAt: Date;
}

export interface ChosenSession extends SessionLine {
  status: SessionRegistrationStatus;
  attendanceMode: AttendanceMode;
  waitlistPosition: number | null;
  /** A confirmed remote participant's: when the join link is mailed (a past time: it is on its way). */
  joinLinkAt: Date | null;
}

export interface ScheduleChangeLine {
  kind: ScheduleChangeKind;
  /** The session as it is now; null when it was removed. */
  session: SessionLine | null;
  sessionNumber: number | null;
  title: InLanguage;
  fields: string[];
}

/**
 * Everything a message says, read at the moment it is sent. Nothing a registrant typed (their
 * name) is in it: mail goes from the event's address, and whoever registers an address writes
 * what its owner would read.
 */
export interface MessageView {
  kind: MessageKind;
  /** The registrant's interpretation language, when the message has its words. */
  language: string | null;
  event: { title: InLanguage; organizer: string; timeZone: string };
  /** Where the registrant manages their registration: a link, or the key to give the API. */
  manage: { url: string | null; key: string };
  /** CONFIRMATION: the registrant's personal calendar feed. */
  calendarUrl?: string | null;
  /** CONFIRMATION: the registrant's sessions; PROMOTION: the one whose seat is now theirs. */
  sessions: ChosenSession[];
  /** JOIN_LINK: the session and its link. */
  join?: { session: SessionLine; url: string };
  /** SCHEDULE_CHANGE: what changed in the sessions the registrant chose. */
  changes?: ScheduleChangeLine[];
  /** APPROVED: what to do next (how to collect the grounds pass), the event's text. */
  approvalInstructions?: InLanguage | null;
  /** DECLINED: the reason the admin gave, if any. */
  declineReason?: string | null;
}

export interface ComposedMessage {
  subject: string;
  text: string;
  html: string;
}

/** Words and the event's text between them: the HTML part marks text in another language than the message's. */
type Piece = string | InLanguage;
type Rich = Piece[];

/** A template of the message's words with the event's text in it, each piece kept apart. */
function rich(strings: TemplateStringsArray, ...pieces: Piece[]): Rich {
  return strings.flatMap((string, index) => (index < pieces.length ? [string, pieces[index]!] : [string]));
}

const plain = (text: Rich) => text.map((piece) => (typeof piece === 'string' ? piece : piece.text)).join('');

function html(text: Rich, language: string): string {
  return text
    .map((piece) => (typeof piece === 'string' || piece.lang === language ? escapeHtml(plain([piece])) : `<span lang="${escapeHtml(piece.lang)}">${escapeHtml(piece.text)}</span>`))
    .join('');
}

/** What the registrant manages their registration with: a link to the organiser's page, or the key itself. */
type ManagedWith = 'link' | 'key';

interface Words {
  /** ': ', with French's narrow no-break space before the colon. */
  colon: string;
  greeting: string;
  subject: Record<MessageKind, (event: string, session?: number) => string>;
  intro: Record<MessageKind, (event: Piece, managedWith: ManagedWith) => Rich>;
  confirmed: string;
  pending: string;
  waitlisted: (position: number | null) => string;
  reason: string;
  mode: Record<AttendanceMode, string>;
  joinLinkAt: (session: number, at: string) => string;
  joinLinkOnItsWay: (session: number) => string;
  calendarFeed: string;
  manageLink: string;
  manageKey: string;
  calendarAttached: string;
  join: string;
  ignoreIfNotYou: string;
  removed: string;
  changedFields: (fields: string) => string;
  field: Record<string, string>;
  added: string;
  signature: (organizer: string) => string;
}

const words: Record<Language, Words> = {
  en: {
    colon: ': ',
    greeting: 'Hello,',
    subject: {
      CONFIRMATION: (event) => `Your registration: ${event}`,
      ADDRESS_IN_USE: (event) => `Someone tried to register with your address: ${event}`,
      MANAGE_LINK: (event) => `Your registration link: ${event}`,
      PROMOTION: (event) => `A seat is now yours: ${event}`,
      JOIN_LINK: (event, session) => `Join link for Session ${session}: ${event}`,
      SCHEDULE_CHANGE: (event) => `Schedule change: ${event}`,
      CANCELLATION: (event) => `Registration cancelled: ${event}`,
      APPROVAL_REQUESTED: (event) => `Request received, awaiting approval: ${event}`,
      APPROVED: (event) => `Your request is approved: ${event}`,
      DECLINED: (event) => `Your request was declined: ${event}`,
    },
    intro: {
      CONFIRMATION: (event) => rich`You are registered for ${event}. Your sessions:`,
      ADDRESS_IN_USE: (event) =>
        rich`Someone, perhaps you, just tried to register for ${event} with this email address. This address is already registered, so nothing was changed.`,
      MANAGE_LINK: (event) => rich`You asked for the link to view, change or cancel your registration for ${event}.`,
      PROMOTION: (event) => rich`A seat has become free at ${event}, and it is now yours:`,
      JOIN_LINK: (event) => rich`Here is the link to join your session of ${event} online:`,
      SCHEDULE_CHANGE: (event) => rich`The schedule of ${event} has changed for sessions you registered for:`,
      CANCELLATION: (event, managedWith) =>
        rich`Your registration for ${event} is cancelled. To take part after all, choose sessions again with your manage ${managedWith === 'link' ? 'link' : 'key (below)'}.`,
      APPROVAL_REQUESTED: (event) => rich`We have received your request to attend ${event}. It needs the organizer's approval: you will hear from us once it is reviewed. Your sessions:`,
      APPROVED: (event) => rich`Your request to attend ${event} is approved. Your sessions:`,
      DECLINED: (event) => rich`We are sorry: your request to attend ${event} was declined, and your sessions are cancelled.`,
    },
    confirmed: 'confirmed',
    pending: 'awaiting approval',
    reason: 'Reason:',
    waitlisted: (position) => (position ? `on the waiting list, number ${position}` : 'on the waiting list'),
    mode: { IN_PERSON: 'in person', REMOTE: 'online' },
    joinLinkAt: (session, at) => `The link to join Session ${session} online will be mailed to you on ${at}.`,
    joinLinkOnItsWay: (session) => `The link to join Session ${session} online follows in a message of its own.`,
    calendarFeed: 'Your calendar, to subscribe to in a calendar app (it follows every change):',
    manageLink: 'View, change or cancel your registration:',
    manageKey: 'Your manage key (the manageToken of the registration API):',
    calendarAttached: 'Your sessions are attached as a calendar file (.ics).',
    join: 'Join online:',
    ignoreIfNotYou: 'If it was not you, you can ignore this message.',
    removed: 'removed from the programme',
    changedFields: (fields) => `changed: ${fields}`,
    field: { title: 'title', startsAt: 'start time', endsAt: 'end time', removed: 'removed' },
    added: 'added',
    signature: (organizer) => `${organizer}`,
  },
  es: {
    colon: ': ',
    greeting: 'Hola:',
    subject: {
      CONFIRMATION: (event) => `Su inscripción: ${event}`,
      ADDRESS_IN_USE: (event) => `Alguien intentó inscribirse con su dirección: ${event}`,
      MANAGE_LINK: (event) => `El enlace de su inscripción: ${event}`,
      PROMOTION: (event) => `Ya tiene una plaza: ${event}`,
      JOIN_LINK: (event, session) => `Enlace para la sesión ${session}: ${event}`,
      SCHEDULE_CHANGE: (event) => `Cambio de programa: ${event}`,
      CANCELLATION: (event) => `Inscripción cancelada: ${event}`,
      APPROVAL_REQUESTED: (event) => `Solicitud recibida, pendiente de aprobación: ${event}`,
      APPROVED: (event) => `Su solicitud ha sido aprobada: ${event}`,
      DECLINED: (event) => `Su solicitud ha sido rechazada: ${event}`,
    },
    intro: {
      CONFIRMATION: (event) => rich`Está inscrito/a en ${event}. Sus sesiones:`,
      ADDRESS_IN_USE: (event) =>
        rich`Alguien, quizá usted, acaba de intentar inscribirse en ${event} con esta dirección de correo. Esta dirección ya está inscrita, así que no se ha cambiado nada.`,
      MANAGE_LINK: (event) => rich`Ha pedido el enlace para ver, cambiar o cancelar su inscripción en ${event}.`,
      PROMOTION: (event) => rich`Se ha liberado una plaza en ${event} y ahora es suya:`,
      JOIN_LINK: (event) => rich`Este es el enlace para unirse en línea a su sesión de ${event}:`,
      SCHEDULE_CHANGE: (event) => rich`El programa de ${event} ha cambiado en sesiones en las que está inscrito/a:`,
      CANCELLATION: (event, managedWith) =>
        rich`Su inscripción en ${event} está cancelada. Si desea participar, elija de nuevo sus sesiones con su ${managedWith === 'link' ? 'enlace de gestión' : 'clave de gestión (abajo)'}.`,
      APPROVAL_REQUESTED: (event) => rich`Hemos recibido su solicitud para asistir a ${event}. Requiere la aprobación de los organizadores: le escribiremos cuando se haya examinado. Sus sesiones:`,
      APPROVED: (event) => rich`Su solicitud para asistir a ${event} ha sido aprobada. Sus sesiones:`,
      DECLINED: (event) => rich`Lo lamentamos: su solicitud para asistir a ${event} ha sido rechazada y sus sesiones se han cancelado.`,
    },
    confirmed: 'confirmada',
    pending: 'pendiente de aprobación',
    reason: 'Motivo:',
    waitlisted: (position) => (position ? `en lista de espera, número ${position}` : 'en lista de espera'),
    mode: { IN_PERSON: 'presencial', REMOTE: 'en línea' },
    joinLinkAt: (session, at) => `El enlace para unirse en línea a la sesión ${session} se le enviará por correo el ${at}.`,
    joinLinkOnItsWay: (session) => `El enlace para unirse en línea a la sesión ${session} llega en un mensaje aparte.`,
    calendarFeed: 'Su calendario, para suscribirse en una aplicación de calendario (sigue cada cambio):',
    manageLink: 'Ver, cambiar o cancelar su inscripción:',
    manageKey: 'Su clave de gestión (el manageToken de la API de inscripción):',
    calendarAttached: 'Sus sesiones van adjuntas como archivo de calendario (.ics).',
    join: 'Unirse en línea:',
    ignoreIfNotYou: 'Si no fue usted, puede ignorar este mensaje.',
    removed: 'retirada del programa',
    changedFields: (fields) => `cambios: ${fields}`,
    field: { title: 'título', startsAt: 'hora de inicio', endsAt: 'hora de fin', removed: 'retirada' },
    added: 'añadida',
    signature: (organizer) => `${organizer}`,
  },
  fr: {
    colon: '\u202f: ',
    greeting: 'Bonjour,',
    subject: {
      CONFIRMATION: (event) => `Votre inscription\u202f: ${event}`,
      ADDRESS_IN_USE: (event) => `Quelqu’un a tenté de s’inscrire avec votre adresse\u202f: ${event}`,
      MANAGE_LINK: (event) => `Le lien de votre inscription\u202f: ${event}`,
      PROMOTION: (event) => `Une place vous est attribuée\u202f: ${event}`,
      JOIN_LINK: (event, session) => `Lien de connexion pour la séance ${session}\u202f: ${event}`,
      SCHEDULE_CHANGE: (event) => `Changement de programme\u202f: ${event}`,
      CANCELLATION: (event) => `Inscription annulée\u202f: ${event}`,
      APPROVAL_REQUESTED: (event) => `Demande reçue, en attente d’approbation\u202f: ${event}`,
      APPROVED: (event) => `Votre demande est approuvée\u202f: ${event}`,
      DECLINED: (event) => `Votre demande a été refusée\u202f: ${event}`,
    },
    intro: {
      CONFIRMATION: (event) => rich`Vous êtes inscrit·e à ${event}. Vos séances\u202f:`,
      ADDRESS_IN_USE: (event) =>
        rich`Quelqu’un, peut-être vous, vient de tenter de s’inscrire à ${event} avec cette adresse électronique. Cette adresse est déjà inscrite\u202f: rien n’a été modifié.`,
      MANAGE_LINK: (event) => rich`Vous avez demandé le lien pour consulter, modifier ou annuler votre inscription à ${event}.`,
      PROMOTION: (event) => rich`Une place s’est libérée à ${event} et elle est désormais à vous\u202f:`,
      JOIN_LINK: (event) => rich`Voici le lien pour rejoindre en ligne votre séance de ${event}\u202f:`,
      SCHEDULE_CHANGE: (event) => rich`Le programme de ${event} a changé pour des séances auxquelles vous êtes inscrit·e\u202f:`,
      CANCELLATION: (event, managedWith) =>
        rich`Votre inscription à ${event} est annulée. Pour participer malgré tout, choisissez de nouveau vos séances avec votre ${managedWith === 'link' ? 'lien de gestion' : 'clé de gestion (ci-dessous)'}.`,
      APPROVAL_REQUESTED: (event) => rich`Nous avons bien reçu votre demande de participation à ${event}. Elle doit être approuvée par les organisateurs\u202f: nous vous écrirons dès qu’elle aura été examinée. Vos séances\u202f:`,
      APPROVED: (event) => rich`Votre demande de participation à ${event} est approuvée. Vos séances\u202f:`,
      DECLINED: (event) => rich`Nous sommes désolés\u202f: votre demande de participation à ${event} a été refusée et vos séances sont annulées.`,
    },
    confirmed: 'confirmée',
    pending: 'en attente d’approbation',
    reason: 'Motif\u202f:',
    waitlisted: (position) => (position ? `en liste d’attente, rang ${position}` : 'en liste d’attente'),
    mode: { IN_PERSON: 'sur place', REMOTE: 'en ligne' },
    joinLinkAt: (session, at) => `Le lien pour rejoindre la séance ${session} en ligne vous sera envoyé par courriel le ${at}.`,
    joinLinkOnItsWay: (session) => `Le lien pour rejoindre la séance ${session} en ligne suit dans un message à part.`,
    calendarFeed: 'Votre agenda, à suivre dans une application de calendrier (il suit chaque changement)\u202f:',
    manageLink: 'Consulter, modifier ou annuler votre inscription\u202f:',
    manageKey: 'Votre clé de gestion (le manageToken de l’API d’inscription)\u202f:',
    calendarAttached: 'Vos séances sont jointes en fichier de calendrier (.ics).',
    join: 'Rejoindre en ligne\u202f:',
    ignoreIfNotYou: 'Si ce n’était pas vous, ignorez ce message.',
    removed: 'retirée du programme',
    changedFields: (fields) => `modifié\u202f: ${fields}`,
    field: { title: 'titre', startsAt: 'heure de début', endsAt: 'heure de fin', removed: 'retirée' },
    added: 'ajoutée',
    signature: (organizer) => `${organizer}`,
  },
};

/** A paragraph of the message: its text, or a list, or a labelled link. */
type Block = { text: Rich } | { list: Rich[] } | { label: string; link: string };

/** The message in the registrant's language (en, es or fr; anything else reads English). */
export function composeMessage(view: MessageView): ComposedMessage {
  const language = languageOf(view.language ?? 'en');
  const w = words[language];
  const { timeZone } = view.event;
  const sessionName = (number: number, title: InLanguage): Rich => [`${agendaLabels[language].session(number)}${w.colon}`, title];
  const line = (session: SessionLine): Rich => [...sessionName(session.number, session.title), ` (${periodInWords(session, timeZone, language)})`];
  const blocks: Block[] = [{ text: [w.greeting] }, { text: w.intro[view.kind](view.event.title, view.manage.url ? 'link' : 'key') }];

  if (view.sessions.length > 0) {
    blocks.push({
      list: view.sessions.map((session) => {
        const standing = session.status === 'WAITLISTED' ? w.waitlisted(session.waitlistPosition) : session.status === 'PENDING' ? w.pending : w.confirmed;
        return [...line(session), `${w.colon}${standing}, ${w.mode[session.attendanceMode]}`];
      }),
    });
    for (const { number, joinLinkAt } of view.sessions) {
      if (!joinLinkAt) continue;
      blocks.push({ text: [joinLinkAt > new Date() ? w.joinLinkAt(number, momentInWords(joinLinkAt, timeZone, language)) : w.joinLinkOnItsWay(number)] });
    }
  }
  if (view.approvalInstructions) blocks.push({ text: [view.approvalInstructions] });
  if (view.declineReason) blocks.push({ text: [`${w.reason} ${view.declineReason}`] });
  if (view.join) blocks.push({ text: line(view.join.session) }, { label: w.join, link: view.join.url });
  if (view.changes) {
    blocks.push({
      list: view.changes.map((change): Rich => {
        const name = change.session ? line(change.session) : change.sessionNumber ? sessionName(change.sessionNumber, change.title) : [change.title];
        if (change.kind === 'REMOVED') return [...name, `${w.colon}${w.removed}`];
        if (change.kind === 'ADDED') return [...name, `${w.colon}${w.added}`];
        return [...name, `${w.colon}${w.changedFields(change.fields.map((field) => w.field[field] ?? field).join(', '))}`];
      }),
    });
  }
  if (view.kind === 'CONFIRMATION') blocks.push({ text: [w.calendarAttached] });
  if (view.calendarUrl) blocks.push({ label: w.calendarFeed, link: view.calendarUrl });
  blocks.push(view.manage.url ? { label: w.manageLink, link: view.manage.url } : { label: w.manageKey, link: view.manage.key });
  if (view.kind === 'ADDRESS_IN_USE' || view.kind === 'MANAGE_LINK') blocks.push({ text: [w.ignoreIfNotYou] });
  blocks.push({ text: [w.signature(view.event.organizer)] });

  return {
    subject: w.subject[view.kind](view.event.title.text, view.join?.session.number),
    text: blocks
      .map((block) => ('list' in block ? block.list.map((item) => `- ${plain(item)}`).join('\n') : 'label' in block ? `${block.label}\n${block.link}` : plain(block.text)))
      .join('\n\n'),
    html: `<!doctype html><html lang="${language}"><body>${blocks
      .map((block) => {
        if ('list' in block) return `<ul>${block.list.map((item) => `<li>${html(item, language)}</li>`).join('')}</ul>`;
        if ('text' in block) return `<p>${html(block.text, language)}</p>`;
        const isLink = /^https?:\/\//.test(block.link);
        return `<p>${escapeHtml(block.label)}<br>${isLink ? `<a href="${escapeHtml(block.link)}">${escapeHtml(block.link)}</a>` : `<code>${escapeHtml(block.link)}</code>`}</p>`;
      })
      .join('')}</body></html>`,
  };
}
