NC.data("search/terms/6f-76",{"oval":[12,45,47,235,277,278,279],"over":[58,98],"overall":[39],"overthrow":[39,216,278]});
