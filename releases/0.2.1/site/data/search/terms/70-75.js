NC.data("search/terms/70-75",{"purpose":[90,108,277,278],"pushing":[195,279],"put":[36,142]});
