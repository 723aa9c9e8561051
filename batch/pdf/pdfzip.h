/* pdfzip: the zlib level of the PDFs' streams. libharu has no setting for it and always
 * asks for zlib's default (6); this module answers its calls. Must not touch anything else. */
#ifndef CN_PDFZIP_H
#define CN_PDFZIP_H

/* Level 1, measured on every stream of a file of 1,000 letters (zlib 1.2.13; CPU ms to
 * compress them all, and the bytes after), after the shared layers and the symbols as image
 * masks (#30) made the pages' own streams small (6.7 MB before compression):
 *   level 1  73 ms 2,578,741 (this)   level 4            92 ms 2,480,567
 *   level 2  77 ms 2,550,140          level 4, filtered  97 ms 2,463,962
 *   level 3  84 ms 2,544,525          level 5, filtered 108 ms 2,432,023
 *   level 6 141 ms 2,442,565 (zlib's and libharu's default)
 * (memLevel 9 or a smaller window change nothing; Z_RLE and Z_HUFFMAN_ONLY are 60% larger.)
 * Level 1 against 4: 5% less CPU for the whole night (20,000 residents, two jobs, measured
 * side by side) for 100 bytes more a letter (3,130 instead of 3,030, under the 3,600 the
 * print budget allows; a night of a few hundred letters in one file, fonts included, stays
 * under 4 KB a letter). Level 4 was chosen when the letter's rectangles made its streams
 * three times larger and level 1 cost 232 bytes a letter more. Delete this module to go
 * back to libharu's choice. */
#define PDFZIP_LEVEL 1

#endif
