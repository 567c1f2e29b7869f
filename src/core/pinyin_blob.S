/* The pinyin-initial table built by tools/mkpinyin.c, linked in as data. */
	.section .rodata
	.global dd_pinyin_blob
	.global dd_pinyin_blob_end
dd_pinyin_blob:
	.incbin PINYIN_BIN
dd_pinyin_blob_end:
	.byte 0
	.section .note.GNU-stack,"",@progbits
