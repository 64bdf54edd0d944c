" Vim syntax file
" Language:    graphviz-lab computational graphs (*.graph)
" See also:    docs/language.md (the language) and docs/ops.md (the ops)
"
" This colours the .graph files that graphviz-lab reads: comments, the
" reserved words (input param const label loss optimize as pi), the words that
" are keywords only in their place (size ... in, def, return, end), every op
" of the language as a function, numbers, size literals such as 2x2, the
" shapes in brackets after a declared name (x[4,1], W[n,m+1]), the operators
" @ ^T ** * / + - and the quoted option values ("same").  The op list below is
" generated from the program's op table by editors/vim/regen-ops.sh, and
" tests/vim.sh fails when it no longer matches `graphviz-lab ops`.
" To install it for yourself, copy this file to ~/.vim/syntax/graph.vim and
" editors/vim/ftdetect/graph.vim to ~/.vim/ftdetect/graph.vim (for Neovim,
" ~/.config/nvim/syntax and ~/.config/nvim/ftdetect).  `make install` puts them
" in the system vimfiles directory, $(datadir)/vim/vimfiles/syntax and
" .../ftdetect: with --prefix=/usr that is /usr/share/vim/vimfiles, which Vim
" reads by default; for another prefix add the directory to 'runtimepath'
" (set rtp+=/usr/local/share/vim/vimfiles).  Both need `filetype on` and
" `syntax on` in your vimrc.

if exists("b:current_syntax")
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

" Names, keywords and ops are case-sensitive (MSE is not mse).
syn case match

" ---- comments ---------------------------------------------------------------
syn keyword graphTodo       contained TODO FIXME XXX NOTE
syn match   graphComment    "#.*$" contains=graphTodo,@Spell

" ---- reserved words (the lexer's keywords) ---------------------------------
syn keyword graphDecl       input param const label
syn keyword graphStatement  loss optimize
syn keyword graphAs         as
syn keyword graphConstant   pi

" ---- words that are keywords only where the grammar wants them ------------
" A statement starts at the beginning of a line or after a ';'.  `size` and
" `def` are keywords only when a name follows, `return` only when no '='
" follows, `end` only alone, so a tensor may still be called size or end.
syn match   graphSize       "\%(^\|;\)\s*\zssize\ze\s\+\h"
syn match   graphIn         "\%(\%(^\|;\)\s*size\s\+\h\w*\s\+\)\@<=\<in\>"
syn match   graphDef        "\%(^\|;\)\s*\zsdef\ze\s\+\h"
syn match   graphFuncName   "\%(\%(^\|;\)\s*def\s\+\)\@<=\h\w*"
syn match   graphReturn     "\%(^\|;\)\s*\zsreturn\>\%(\s*=\)\@!"
syn match   graphEnd        "\%(^\|;\)\s*\zsend\ze\s*\%(;\|#\|$\)"

" ---- option names: conv2d(x, w, stride=2), layer(x, b=b1), optimize L lr=0.5
syn match   graphOptKey     "\<\%([(,]\s*\)\@<=\h\w*\ze\s*="
syn match   graphOptKey     "\<\%(\<optimize\s.*\)\@<=\h\w*\ze\s*="

" ---- operators --------------------------------------------------------------
syn match   graphOperator   "\*\*\|[-+*/@]"
syn match   graphRange      "\.\."
" '^' is only for the transpose a^T; x^2 is an error (write x**2)
syn match   graphCaretError "\^"
syn match   graphTranspose  "\^T\>"
syn match   graphContinue   "\\$"

" ---- numbers and size literals ----------------------------------------------
" 3  0.5  2.  .5  2.5e-3  1E+6; `2..6` is a range, not the number 2.
syn match   graphNumber     "\<\d\+\%(\.\.\@!\d*\)\=\%([eE][-+]\=\d\+\)\="
syn match   graphNumber     "\%(\w\|\.\)\@<!\.\d\+\%([eE][-+]\=\d\+\)\="
" a leading minus belongs to the number: [2, -1], dim=-1, x ** -2
syn match   graphNumber     "-\%([-=(,[*/@+]\s*-\)\@40<=\ze\.\=\d"
" 2x2, 3x1, 2x2x2; and the lab sheet's `2 x 2`
syn match   graphSizeLit    "\<\d\+\%(x\d\+\)\+\>"
syn match   graphSizeLit    "\<\d\+\%(\s\+x\s\+\d\+\)\+\>"

" ---- shapes: the brackets right after a name, x[4,1], W[n,m+1], p[?,1] ----
" (an initialiser list `= [2, 1]` has a space or '=' before it and is not one)
syn region  graphShape      matchgroup=graphShapeDelim start="\w\@1<=\[" end="\]" oneline contains=graphComment

" ---- strings: only option values, padding="same" --------------------------
syn match   graphString     +"[^"]*"+

" ---- ops ----------------------------------------------------------------------
" Every op name and alias the program knows, highlighted wherever it is written
" (so a tensor named like an op, which the language allows, is coloured as an
" op too).  This one list is rewritten by editors/vim/regen-ops.sh between the
" two marker lines: do not edit it by hand.
" ops: generated from graphviz-lab ops
syn keyword graphOp
      \ abs add avg_pool2d avgpool2d conv conv2d cos cross_entropy dehom div
      \ dot exp hom identity leaky_relu log log1p log_softmax matmul max
      \ max_pool2d maxpool2d mean mse mul neg norm pow relu reshape sigmoid
      \ sin softmax sqrt sse sub sum tan tanh transpose vec
" end of ops

" ---- colours: standard groups -------------------------------------------------
hi def link graphComment    Comment
hi def link graphTodo       Todo
hi def link graphDecl       Keyword
hi def link graphStatement  Statement
hi def link graphAs         Keyword
hi def link graphConstant   Constant
hi def link graphSize       Keyword
hi def link graphIn         Keyword
hi def link graphDef        Keyword
hi def link graphFuncName   Function
hi def link graphReturn     Statement
hi def link graphEnd        Keyword
hi def link graphOptKey     Identifier
hi def link graphOp         Function
hi def link graphOperator   Operator
hi def link graphRange      Operator
hi def link graphTranspose  Operator
hi def link graphCaretError Error
hi def link graphContinue   Special
hi def link graphNumber     Number
hi def link graphSizeLit    Type
hi def link graphShape      Type
hi def link graphShapeDelim Delimiter
hi def link graphString     String

let b:current_syntax = "graph"

let &cpo = s:cpo_save
unlet s:cpo_save
