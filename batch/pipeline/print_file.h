/* print_file: what a batch records of one print file (its name, letters, pages, sequence and
 * postcode range, checksum) and the postal districts it counts letters by; publish fills
 * them, the control sheet prints them. Must not hold behaviour: data only, so both can
 * include it without including each other. */
#ifndef CN_PRINT_FILE_H
#define CN_PRINT_FILE_H

#define POSTAL_DISTRICTS 1000 /* 000-999: the first three digits of a postcode */

struct print_file_info {
    char name[32]; /* notices-001.pdf */
    long letters;
    long pages;
    long first_seq, last_seq;
    char first_postal[8], last_postal[8];
    char sha256[65]; /* filled by publish_add_print_file */
};

#endif
