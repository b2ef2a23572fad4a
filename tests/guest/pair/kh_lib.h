/* SPDX-License-Identifier: GPL-2.0 */
/* What kh_lib.ko exports. */
int kh_lib_answer(int question);
