NC.data("search/terms/6f-76",{"oval":[12,47,232,273,274,275],"over":[57,97],"overall":[37],"overthrow":[37,209,274]});
