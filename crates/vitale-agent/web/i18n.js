// Placeholder: the page's French and English texts.
"use strict";
