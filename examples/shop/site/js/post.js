// Blog posts: the common parts plus the survey for engaged readers.
import './common.js';
import './survey.js';
