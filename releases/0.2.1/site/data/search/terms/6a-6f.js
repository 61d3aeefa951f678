NC.data("search/terms/6a-6f",{"joe":[2,36,37,276,277,278,279,280],"joint":[280]});
