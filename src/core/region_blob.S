/* The administrative-division table built by tools/mkregions.c, linked in as data. */
	.section .rodata
	.balign 16
	.global dd_region_blob
	.global dd_region_blob_end
dd_region_blob:
	.incbin REGION_BIN
dd_region_blob_end:
	.byte 0
	.section .note.GNU-stack,"",@progbits
