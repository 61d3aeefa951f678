NC.data("search/terms/65-6c",{"elect":[66,226,279],"election":[66,96],"elections":[66,124,226,279],"elements":[31,116,277],"eliminate":[31,39,159,276,277]});
