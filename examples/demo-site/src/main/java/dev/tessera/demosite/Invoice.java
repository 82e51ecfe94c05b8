package dev.tessera.demosite;

/** One invoice row, with every field exactly as the HTML page and the JSON API show it. */
record Invoice(String number, String date, String customer, String amount, String status) {}
