// Reader survey with segments.on(): shown to engaged readers (two posts read to the end); the
// answer is tracked as `survey_response`, which ends the membership, so the survey goes away.
import { el } from './dom.js';
import { onSegment, track } from './segments.js';

let box = null;

function answer(value) {
  track('survey_response', { survey: 'blog', answer: value });
  const thanks = document.getElementById('survey-thanks');
  if (thanks) thanks.hidden = false;
}

function show() {
  box?.remove();
  box = el('aside', { class: 'survey', id: 'survey' },
    el('p', {}, 'You have read a few of our guides. Would you like one in your inbox each month?'),
    el('button', { type: 'button', 'data-answer': 'yes' }, 'Yes please'),
    el('button', { type: 'button', 'data-answer': 'no' }, 'Not now'));
  box.addEventListener('click', (event) => {
    const value = event.target instanceof window.HTMLElement ? event.target.dataset.answer : undefined;
    if (value) answer(value);
  });
  document.querySelector('article')?.append(box);
}

function hide() {
  box?.remove();
  box = null;
}

onSegment('engaged-reader', show, hide);
