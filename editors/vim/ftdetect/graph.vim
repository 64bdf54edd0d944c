" Vim filetype detection: *.graph files are graphviz-lab computational graphs.
" Copy to ~/.vim/ftdetect/graph.vim (or the system vimfiles/ftdetect), beside
" syntax/graph.vim.
"
" Vim's runtime (checked: Vim 9.0's filetype.vim, and Neovim's filetype table)
" has no built-in filetype for *.graph, so `setfiletype` is enough: it sets the
" filetype only when no earlier rule has set one, as Vim's own rules do.  If a
" Vim ever maps *.graph to another language, change this to
" `set filetype=graph`, which overrides that.
au BufRead,BufNewFile *.graph setfiletype graph
